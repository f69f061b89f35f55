package io.offlinedetector.query;

import java.util.List;

/**
 * One page of devices, ordered by id (UTF-8 byte order).
 *
 * @param next the id to pass as {@code after} for the next page, or {@code null} on the last page
 * @param missing the instances that did not answer; empty when the page is complete
 */
public record DevicePage(List<DeviceView> devices, String next, List<String> missing) {}
