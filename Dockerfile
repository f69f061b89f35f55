# The detector's image: the same jar as 'mvn package' builds, run as an unprivileged user.
# docker-compose.yml builds it for the detector instances and the simulator.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so that a source change does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY topics topics
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/offline-detector detector \
 && mkdir -p /var/lib/offline-detector/state \
 && chown -R detector /var/lib/offline-detector
COPY --from=build /src/target/offline-detector.jar /opt/offline-detector/offline-detector.jar
USER detector
# RocksDB's memory lives outside the heap: leave it room within the container's limit.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50"
ENV OD_STATE_DIR=/var/lib/offline-detector/state
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/offline-detector/offline-detector.jar"]
CMD ["run"]
