package io.aiotedge.config;

/**
 * The HTTP server ({@code http.*}): health, metrics, and later the API and dashboard.
 *
 * @param port 0 picks a free port
 * @param maxRequestBytes larger request bodies are refused with 413
 */
public record HttpConfig(String bindAddress, int port, long maxRequestBytes) {

    static HttpConfig read(ConfigReader r) {
        return new HttpConfig(r.nonBlank("http.bindAddress"), r.port("http.port"),
                r.longValue("http.maxRequestBytes", 1024, 1L << 31));
    }
}
