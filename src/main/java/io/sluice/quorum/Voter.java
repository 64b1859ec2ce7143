package io.sluice.quorum;

import java.util.ArrayList;
import java.util.List;

/**
 * One member of the controller quorum: a node id and the endpoint ({@code host:port}) where its
 * quorum server listens. Written {@code id@host:port}, as in {@code --controller-voters} (Kafka's
 * {@code controller.quorum.voters} spells it {@code id@host:port} too).
 */
public record Voter(String id, String host, int port) {

    /** {@code id@host:port}; the config room has already checked the shape. */
    public static Voter parse(String spec) {
        int at = spec.indexOf('@');
        int colon = spec.lastIndexOf(':');
        if (at <= 0 || colon <= at + 1 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("not id@host:port: '" + spec + "'");
        }
        return new Voter(spec.substring(0, at), spec.substring(at + 1, colon), Integer.parseInt(spec.substring(colon + 1)));
    }

    public static List<Voter> parseAll(List<String> specs) {
        List<Voter> out = new ArrayList<>(specs.size());
        for (String s : specs) {
            out.add(parse(s));
        }
        return List.copyOf(out);
    }

    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + port;
    }
}
