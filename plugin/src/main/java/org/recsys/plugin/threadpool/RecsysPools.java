package org.recsys.plugin.threadpool;

/** The plugin's thread pools, by name: what the plugin registers and the actions and services that fork onto them. */
public final class RecsysPools {

    /**
     * Inference runs here, never on ingest, search or transport threads: one worker per allocated processor by
     * default, each running whole batches on few intra-op threads.
     */
    public static final String INFERENCE = "recsys_inference";
    /** Training and evaluation: long, CPU-bound work that blocks on its own reads and writes. */
    public static final String TRAINING = "recsys_training";
    /**
     * The parallel parts of a training (WALS rows, MeLU tasks): a training on {@code threads} workers runs one on its
     * own {@link #TRAINING} thread and the others here, so no algorithm starts threads of its own.
     */
    public static final String TRAINING_WORKERS = "recsys_training_workers";

    private RecsysPools() {}
}
