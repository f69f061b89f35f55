# The detector's image: the same jar as 'mvn package' builds (detector/target/offline-detector.jar),
# alone, run as an unprivileged user. It is the default target; docker-compose.yml builds it for the
# detector instances and the topics job. The target 'tools' is a second image with the tools jar
# only, for the compose file's simulated fleet (simulate).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so that a source change does not download them again. The parent POM names
# every module, so every module's POM comes first; only the modules the images need are resolved.
COPY pom.xml .
COPY detector/pom.xml detector/
COPY tools/pom.xml tools/
COPY bench/pom.xml bench/
RUN mvn -B -q -pl detector,tools dependency:go-offline
COPY topics topics
COPY detector/src detector/src
RUN mvn -B -q -DskipTests -pl detector package

FROM build AS tools-build
COPY tools/src tools/src
RUN mvn -B -q -DskipTests -pl tools -am package

FROM eclipse-temurin:17-jre AS runtime
RUN useradd --system --home-dir /var/lib/offline-detector detector \
 && mkdir -p /var/lib/offline-detector/state \
 && chown -R detector /var/lib/offline-detector

# docker build --target tools: simulate (and the other tools) from the tools jar.
FROM runtime AS tools
COPY --from=tools-build /src/tools/target/offline-detector-tools.jar /opt/offline-detector/offline-detector-tools.jar
USER detector
ENTRYPOINT ["java", "-jar", "/opt/offline-detector/offline-detector-tools.jar"]
CMD ["--help"]

# The default target, last: the product.
FROM runtime AS detector
COPY --from=build /src/detector/target/offline-detector.jar /opt/offline-detector/offline-detector.jar
USER detector
# RocksDB's memory lives outside the heap: leave it room within the container's limit.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50"
ENV OD_STATE_DIR=/var/lib/offline-detector/state
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/offline-detector/offline-detector.jar"]
CMD ["run"]
