package io.aiotedge.api;

import io.aiotedge.core.Rejection;
import io.aiotedge.datastore.FeatureRow;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.datastore.RowQuery;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/datastore}: rows by time range, device and label as JSON pages, or the whole
 * range as streamed CSV (one column per feature name in the range; empty where a row's schema
 * lacks it).
 */
final class DatastoreApi {
    private static final int CSV_PAGE = 5_000;

    private final FeatureStore store;
    private final ApiAuth auth;

    DatastoreApi(FeatureStore store, ApiAuth auth) {
        this.store = store;
        this.auth = auth;
    }

    void install(Javalin app) {
        app.get("/api/v1/datastore/stats", ctx -> {
            auth.reader(ctx);
            ctx.json(Map.of("rows", store.count()));
        });
        app.get("/api/v1/datastore/rows", ctx -> {
            auth.admin(ctx);
            RowQuery q = query(ctx, (int) Bodies.longParam(ctx, "limit", 1000, 1, RowQuery.MAX_LIMIT));
            String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
            if (format.equals("csv")) {
                csv(ctx, q);
            } else if (format.equals("json")) {
                List<FeatureRow> rows = store.query(q);
                List<Map<String, Object>> out = new ArrayList<>(rows.size());
                rows.forEach(r -> out.add(json(r)));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("rows", out);
                body.put("next", rows.size() == q.limit() ? rows.get(rows.size() - 1).id() : null);
                ctx.json(body);
            } else {
                throw Rejection.invalid("format", "must be json or csv");
            }
        });
    }

    private static RowQuery query(Context ctx, int limit) {
        long from = Bodies.longParam(ctx, "from", 0, 0, Long.MAX_VALUE);
        long to = Bodies.longParam(ctx, "to", Long.MAX_VALUE, 0, Long.MAX_VALUE);
        return new RowQuery(from, to, ctx.queryParam("device"), ctx.queryParam("label"),
                Bodies.longParam(ctx, "after", 0, 0, Long.MAX_VALUE), limit);
    }

    private static Map<String, Object> json(FeatureRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("deviceId", r.deviceId());
        m.put("timestamp", r.timestamp());
        m.put("sequence", r.sequence());
        m.put("label", r.label());
        Map<String, Double> f = new LinkedHashMap<>();
        for (int i = 0; i < r.names().size(); i++) {
            f.put(r.names().get(i), r.values()[i]);
        }
        m.put("features", f);
        m.put("source", r.source());
        return m;
    }

    /** Streams every row of the range page by page; {@code limit} caps the whole export. */
    private void csv(Context ctx, RowQuery first) throws IOException {
        List<String> names = store.featureNames(first.from(), first.to());
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"features.csv\"");
        OutputStream os = ctx.res().getOutputStream();
        Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
        w.write("id,deviceId,timestamp,sequence,label");
        for (String n : names) {
            w.write(',');
            w.write(cell(n));
        }
        w.write('\n');
        long after = first.afterId();
        int left = first.limit();
        while (left > 0) {
            List<FeatureRow> rows = store.query(new RowQuery(first.from(), first.to(), first.deviceId(), first.label(),
                    after, Math.min(CSV_PAGE, left)));
            for (FeatureRow r : rows) {
                writeRow(w, r, names);
            }
            if (rows.size() < Math.min(CSV_PAGE, left)) {
                break;
            }
            left -= rows.size();
            after = rows.get(rows.size() - 1).id();
        }
        w.flush();
    }

    private static void writeRow(Writer w, FeatureRow r, List<String> names) throws IOException {
        w.write(r.id() + "," + cell(r.deviceId()) + "," + r.timestamp() + ","
                + (r.sequence() == null ? "" : r.sequence()) + "," + (r.label() == null ? "" : cell(r.label())));
        for (String n : names) {
            w.write(',');
            int i = r.names().indexOf(n);
            if (i >= 0) {
                w.write(Double.toString(r.values()[i]));
            }
        }
        w.write('\n');
    }

    /**
     * RFC 4180 quoting, and a leading quote against spreadsheet formula injection: a cell that
     * starts with {@code = + - @}, a tab or a carriage return (spreadsheets skip the last two and
     * read the formula behind them).
     */
    static String cell(String s) {
        String v = s;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
