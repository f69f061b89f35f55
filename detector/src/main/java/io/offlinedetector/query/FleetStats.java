package io.offlinedetector.query;

import java.util.List;

/** Fleet counts; {@code missing} names the instances whose devices are not counted. */
public record FleetStats(long total, long online, long offline, List<String> missing) {}
