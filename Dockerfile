# Sluice node image. Build: docker build -t sluice .   Run: docker run -p 8080:8080 -v sluice-data:/var/lib/sluice sluice
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml cluster.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /opt/sluice
COPY --from=build /src/target/sluice.jar /opt/sluice/sluice.jar
ENV SLUICE_DATA_DIR=/var/lib/sluice \
    SLUICE_HTTP_HOST=0.0.0.0 \
    SLUICE_HTTP_PORT=8080
VOLUME ["/var/lib/sluice"]
# HTTP API, and Hazelcast for nodes that form a cluster (set SLUICE_CLUSTER_HOST/SLUICE_CLUSTER_MEMBERS).
EXPOSE 8080 5701
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=75", "-jar", "/opt/sluice/sluice.jar"]
