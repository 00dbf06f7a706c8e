package io.aiotedge.api;

import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.ModelVersion;
import io.aiotedge.ota.DownloadPlan;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.eclipse.jetty.server.HttpOutput;

/**
 * Serves a model file for OTA: Content-Length, a strong ETag (the quoted sha256) with
 * If-None-Match (304), a single Range (206, resume after an interruption) with If-Range, and the
 * sha256 and signature as headers so a device can check before it flashes. A stored file that no
 * longer matches its hash or signature is not served (500, logged).
 */
final class Downloads {
    private Downloads() {
    }

    static void serve(Context ctx, ModelRegistry models, ModelVersion v) throws IOException {
        Path file;
        try {
            file = models.content(v);
        } catch (IOException e) {
            ctx.status(500).json(Map.of("status", 500, "error", "Server Error",
                    "message", "the stored model fails verification; it is not served"));
            return;
        }
        String etag = DownloadPlan.etag(v.sha256());
        DownloadPlan plan = DownloadPlan.plan(v.size(), etag, ctx.header("If-None-Match"), ctx.header("Range"),
                ctx.header("If-Range"));
        ctx.header("ETag", etag);
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("X-Model-Name", v.name());
        ctx.header("X-Model-Version", String.valueOf(v.version()));
        ctx.header("X-Model-Sha256", v.sha256());
        ctx.header("X-Model-Signature", v.signature());
        ctx.header("Cache-Control", "private, no-transform");
        if (plan.status() == 304) {
            ctx.status(304);
            return;
        }
        if (plan.status() == 416) {
            ctx.header("Content-Range", plan.contentRange());
            ctx.status(416).json(Map.of("status", 416, "error", "Range Not Satisfiable",
                    "message", "the file has " + v.size() + " bytes"));
            return;
        }
        ctx.status(plan.status());
        if (plan.contentRange() != null) {
            ctx.header("Content-Range", plan.contentRange());
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + v.fileName() + "\"");
        ctx.contentType("application/octet-stream");
        ctx.res().setContentLengthLong(plan.length());
        if (ctx.method().name().equals("HEAD")) {
            return;
        }
        OutputStream out = ctx.res().getOutputStream();
        if (out instanceof HttpOutput jetty) {
            // Jetty writes a mapped file region without copying it through the heap
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                jetty.sendContent(ch.map(FileChannel.MapMode.READ_ONLY, plan.start(), plan.length()));
            }
            return;
        }
        copy(file, plan.start(), plan.length(), out);
    }

    private static void copy(Path file, long start, long length, OutputStream out) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = start;
            long left = length;
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new IOException("model file shorter than recorded");
                }
                out.write(buf.array(), 0, n);
                pos += n;
                left -= n;
            }
            out.flush();
        }
    }
}
