package io.aiotedge.pipeline;

import io.aiotedge.datastore.FeatureRow;
import io.aiotedge.mlops.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads labelled rows of a time range out of the datastore into a {@link Dataset}: the feature
 * schema is the one most rows in the range have (rows of another schema, e.g. the reference
 * firmware's four readings, are counted and left out); label {@code healthy} is class 0, every
 * fault class 1. At most {@code maxRows}, the newest kept.
 */
final class Extract {
    static final int MAX_ROWS = 200_000;
    private static final int PAGE = 20_000;

    /** @param trainingSet {@link TrainingSetHash} of the rows in {@code data} */
    record Result(Dataset data, long from, long to, int scanned, int unlabelled, int otherSchema,
            com.fasterxml.jackson.databind.node.ObjectNode trainingSet) {
    }

    private Extract() {
    }

    static Result run(PlatformAccess platform, long from, long to) throws Exception {
        return run(platform, from, to, 0, Long.MAX_VALUE);
    }

    /**
     * The same, over the rows with {@code after < id <= upTo} only: a lineage audit
     * ({@link LineageAudit}) re-reads the id range a training set was hashed over.
     */
    static Result run(PlatformAccess platform, long from, long to, long after, long upTo) throws Exception {
        List<FeatureRow> rows = new ArrayList<>();
        int scanned = 0;
        int unlabelled = 0;
        while (true) {
            List<FeatureRow> page = platform.rows(from, to, after, PAGE);
            boolean past = false;
            for (FeatureRow r : page) {
                if (r.id() > upTo) {
                    past = true;
                    break;
                }
                scanned++;
                if (r.label() == null) {
                    unlabelled++;
                } else {
                    rows.add(r);
                }
            }
            if (rows.size() > MAX_ROWS) {
                rows.subList(0, rows.size() - MAX_ROWS).clear();
            }
            if (past || page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        Map<List<String>, Integer> schemas = new HashMap<>();
        rows.forEach(r -> schemas.merge(r.names(), 1, Integer::sum));
        List<String> names = schemas.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(List.of());
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        List<FeatureRow> used = new ArrayList<>();
        for (FeatureRow r : rows) {
            if (r.names().equals(names)) {
                x.add(r.values());
                y.add("healthy".equals(r.label()) ? 0 : 1);
                used.add(r);
            }
        }
        int[] labels = y.stream().mapToInt(Integer::intValue).toArray();
        return new Result(new Dataset(names, x.toArray(new double[0][]), labels), from, to, scanned, unlabelled,
                rows.size() - x.size(), TrainingSetHash.of(used, to));
    }
}
