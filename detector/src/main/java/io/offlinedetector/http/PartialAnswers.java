package io.offlinedetector.http;

import io.offlinedetector.domain.CountKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Told of each answer to a client that fanned out to every instance and came back partial: an
 * instance did not answer, or partitions had no owner (docs/http-api.md). A partial list or count
 * looks plausible to whoever reads it, so operators need to see how often it happens.
 */
@FunctionalInterface
public interface PartialAnswers {

    PartialAnswers NONE = route -> {};

    String DEVICES = "/devices";
    String STATS = "/stats";

    /**
     * The routes whose answers fan out, as {@link #record} names them: {@code /devices},
     * {@code /stats}, and {@code /stats?by=} with each kind of count. A short, fixed list, so that a
     * metric can label by it and start every series at 0.
     */
    List<String> ROUTES = routes();

    /** @param route one of {@link #ROUTES} */
    void record(String route);

    /** The route {@code GET /stats?by=} answers for {@code kind}. */
    static String countsBy(CountKind kind) {
        return "/stats?by=" + kind.field();
    }

    private static List<String> routes() {
        List<String> routes = new ArrayList<>(List.of(DEVICES, STATS));
        for (CountKind kind : CountKind.values()) {
            routes.add(countsBy(kind));
        }
        return List.copyOf(routes);
    }
}
