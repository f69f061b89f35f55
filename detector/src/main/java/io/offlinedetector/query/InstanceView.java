package io.offlinedetector.query;

import java.util.List;

/**
 * One instance of the application.
 *
 * @param url               its HTTP address
 * @param activePartitions  the heartbeats partitions it processes
 * @param standbyPartitions the partitions it keeps a warm copy of
 */
public record InstanceView(String url, boolean self, List<Integer> activePartitions, List<Integer> standbyPartitions) {}
