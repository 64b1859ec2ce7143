#!/usr/bin/env python3
"""Creates topics t0..t<N-1> through POST /topics with CONCURRENCY keep-alive connections, as an
admin script or client library would (one curl process per topic costs this 2-core machine about
18 ms a topic by itself, which the figure would otherwise include). Prints one status code a line.

usage: create_topics.py URL TOPICS PARTITIONS CONCURRENCY
"""
import http.client
import json
import sys
import threading
import urllib.parse


def main():
    url, topics, partitions, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    target = urllib.parse.urlparse(url)
    names = iter(range(topics))
    lock = threading.Lock()
    codes = []

    def worker():
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
        while True:
            with lock:
                i = next(names, None)
            if i is None:
                break
            body = json.dumps({"name": f"t{i}", "partitions": partitions, "replication_factor": 1})
            try:
                conn.request("POST", "/topics", body, {"content-type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                code = resp.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
                code = 0
            with lock:
                codes.append(code)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("\n".join(str(c) for c in codes))


if __name__ == "__main__":
    main()
