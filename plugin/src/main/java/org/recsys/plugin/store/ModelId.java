package org.recsys.plugin.store;

/** Model ids name store documents and default vector fields, so they are kept to a safe alphabet. */
public final class ModelId {

    private ModelId() {}

    public static void validate(String id) {
        if (id == null || id.isEmpty() || id.length() > 64 || id.matches("[a-z0-9][a-z0-9_\\-]*") == false) {
            throw new IllegalArgumentException(
                "model id [" + id + "] must be 1 to 64 lowercase letters, digits, '_' or '-', starting with a letter or digit"
            );
        }
    }
}
