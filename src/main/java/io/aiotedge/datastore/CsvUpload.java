package io.aiotedge.datastore;

import io.aiotedge.core.Rejection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference ingest's CSV ({@code POST /upload}): a header
 * {@code deviceID,timeStamp,current,temperature,vibration,sound} (columns in any order, an
 * optional {@code label}) and one reading per line, {@code timeStamp} in epoch ms. All or nothing:
 * any bad line refuses the file with the first problems listed by line and column. Rows get the
 * dedupe key {@code upload:<file sha256>:<line>}, so uploading the same file twice stores it once.
 */
public final class CsvUpload {
    public static final int MAX_LINES = 1_000_000;
    private static final int MAX_PROBLEMS = 20;

    private CsvUpload() {
    }

    public static List<FeatureRow> parse(InputStream in, String fileSha256) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = r.readLine();
        if (header == null || header.isBlank()) {
            throw Rejection.invalid("file",
                    "is empty; a CSV with header deviceID,timeStamp,current,temperature,vibration,sound is required");
        }
        List<String> cols = List.of(strip(header).split(",", -1));
        int id = cols.indexOf("deviceID");
        int ts = cols.indexOf("timeStamp");
        int label = cols.indexOf("label");
        int[] feat = new int[RowDecoder.LEGACY_FEATURES.size()];
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < feat.length; i++) {
            feat[i] = cols.indexOf(RowDecoder.LEGACY_FEATURES.get(i));
            if (feat[i] < 0) {
                problems.add("header: column " + RowDecoder.LEGACY_FEATURES.get(i) + " is missing");
            }
        }
        if (id < 0) {
            problems.add("header: column deviceID is missing");
        }
        if (ts < 0) {
            problems.add("header: column timeStamp is missing");
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid("file", String.join("; ", problems));
        }
        List<FeatureRow> rows = new ArrayList<>();
        int lineNo = 1;
        for (String line; (line = r.readLine()) != null;) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            if (lineNo > MAX_LINES) {
                throw Rejection.tooLarge("more than " + MAX_LINES + " lines");
            }
            String[] f = line.split(",", -1);
            if (f.length != cols.size()) {
                problem(problems, "line " + lineNo + ": " + f.length + " columns, the header has " + cols.size());
                continue;
            }
            try {
                double[] v = new double[feat.length];
                for (int i = 0; i < feat.length; i++) {
                    v[i] = number(f[feat[i]], lineNo, RowDecoder.LEGACY_FEATURES.get(i));
                }
                String device = f[id].trim();
                if (device.isEmpty() || device.length() > 128) {
                    throw new IllegalArgumentException("line " + lineNo + ": deviceID must be 1-128 characters");
                }
                long time = (long) number(f[ts], lineNo, "timeStamp");
                String lbl = label >= 0 && !f[label].isBlank() ? f[label].trim() : null;
                rows.add(new FeatureRow(0, "upload:" + fileSha256 + ":" + lineNo, device, time, null, lbl,
                        RowDecoder.LEGACY_FEATURES, v, "upload"));
            } catch (IllegalArgumentException e) {
                problem(problems, e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid("file", String.join("; ", problems));
        }
        return rows;
    }

    private static double number(String s, int line, String column) {
        try {
            double d = Double.parseDouble(s.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + line + ": " + column + " is not a finite number: '" + s + "'");
        }
    }

    private static void problem(List<String> problems, String p) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(p);
        }
    }

    private static String strip(String header) {
        return header.startsWith("\uFEFF") ? header.substring(1).trim() : header.trim();
    }
}
