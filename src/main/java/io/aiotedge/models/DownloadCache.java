package io.aiotedge.models;

import io.aiotedge.core.Rejection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows and aliases that serve downloads, read from the store once and then from memory:
 * rows never change (deleted ones are dropped), and the registry drops a model's aliases when it
 * changes them. Safe for concurrent use.
 */
final class DownloadCache {
    private final ModelStore store;
    /** name/version -> row. */
    private final Map<String, ModelVersion> rowCache = new ConcurrentHashMap<>();
    /** name -> alias -> version. */
    private final Map<String, Map<String, Integer>> aliasCache = new ConcurrentHashMap<>();

    DownloadCache(ModelStore store) {
        this.store = store;
    }

    /** See {@link ModelRegistry#forDownload}; the name is already checked. */
    ModelVersion find(String name, String versionOrAlias) {
        int version;
        if (ModelRegistry.ALIASES.contains(versionOrAlias)) {
            Integer v = aliasCache.computeIfAbsent(name, store::aliases).get(versionOrAlias);
            if (v == null) {
                throw Rejection.notFound("alias " + versionOrAlias + " of model " + name);
            }
            version = v;
        } else {
            try {
                version = Integer.parseInt(versionOrAlias);
            } catch (NumberFormatException e) {
                throw Rejection.invalid("version", "must be a version number or one of " + ModelRegistry.ALIASES);
            }
        }
        ModelVersion cached = rowCache.get(name + "/" + version);
        if (cached != null) {
            return cached;
        }
        ModelVersion v = store.find(name, version)
                .orElseThrow(() -> Rejection.notFound("model " + name + " v" + version));
        rowCache.put(name + "/" + version, v);
        return v;
    }

    void aliasesChanged(String name) {
        aliasCache.remove(name);
    }

    void deleted(String name, int version) {
        aliasCache.remove(name);
        rowCache.remove(name + "/" + version);
    }

    void clear() {
        rowCache.clear();
        aliasCache.clear();
    }
}
