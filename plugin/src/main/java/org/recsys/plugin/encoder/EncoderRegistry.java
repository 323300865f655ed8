package org.recsys.plugin.encoder;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.cluster.ClusterChangedEvent;
import org.elasticsearch.cluster.ClusterStateApplier;
import org.elasticsearch.cluster.service.ClusterService;
import org.recsys.core.encoder.TextEncoder;
import org.recsys.core.encoder.TransformerConfig;
import org.recsys.ingest.EncodingOptions;
import org.recsys.ingest.MicroBatcher;
import org.recsys.ingest.TextEncoders;
import org.recsys.plugin.memory.RecsysBreaker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * This node's encoders: registrations come from cluster state ({@link EncoderMetadata}); each model loads on first
 * use and is closed when its registration is deleted or changed.
 */
public final class EncoderRegistry implements TextEncoders, ClusterStateApplier {

    public static final String MODELS_DIR = "recsys-models";

    private final Path modelsDir;
    private final ClusterService clusterService;
    private final Executor inference;
    private final InferenceSettings settings;
    private final Map<String, NodeEncoder> nodeEncoders = new ConcurrentHashMap<>();
    /** The registrations of the cluster state being applied (or last applied). */
    private volatile Map<String, EncoderRegistration> registered = Map.of();

    private final RecsysBreaker memory;

    public EncoderRegistry(
        Path configDir,
        ClusterService clusterService,
        Executor inference,
        InferenceSettings settings,
        RecsysBreaker memory
    ) {
        this.modelsDir = configDir.resolve(MODELS_DIR).toAbsolutePath().normalize();
        this.clusterService = clusterService;
        this.inference = inference;
        this.settings = settings;
        this.memory = memory;
    }

    /** Runs DJL code with the plugin's class loader as context loader: DJL finds its engines through it. */
    public static <T, E extends Exception> T withPluginClassLoader(ThrowingSupplier<T, E> body) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(EncoderRegistry.class.getClassLoader());
        try {
            return body.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public interface ThrowingSupplier<T, E extends Exception> {
        T get() throws E;
    }

    /** The model directory of a registration, which must lie inside {@code config/recsys-models/}, links resolved. */
    Path resolve(EncoderRegistration registration) {
        Path dir = directory(registration);
        try {
            if (dir.startsWith(modelsDir) == false
                || Files.isDirectory(dir) == false
                || dir.toRealPath().startsWith(modelsDir.toRealPath()) == false) {
                throw new IllegalArgumentException(
                    "[path] ["
                        + registration.path()
                        + "] is not a directory inside config/"
                        + MODELS_DIR
                        + "/ of node ["
                        + clusterService.getNodeName()
                        + "]"
                );
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("[path] [" + registration.path() + "] cannot be read: " + e.getMessage(), e);
        }
        return dir;
    }

    /**
     * Refuses a registration that could never encode: missing files, an unsupported config, corrupt or mismatched
     * weights, an export that breaks the contract or lacks what the pooling needs. Safetensors weights are checked
     * from their header without loading; an export is loaded once, here, to read its signature and run it on two
     * tokens. Models load for ingest once per node, on first use.
     */
    public void validate(EncoderRegistration registration) {
        Path dir = resolve(registration);
        TransformerConfig config;
        try {
            config = withPluginClassLoader(() -> TextEncoder.validate(dir, registration.pooling()));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                "cannot read encoder [" + registration.id() + "] from [" + registration.path() + "]: " + e.getMessage(),
                e
            );
        }
        if (registration.normalize() && TextEncoder.hasProjectionHead(dir)) {
            // The head's vectors are factors: their length carries the score, so unit length would change the ranking.
            throw new IllegalArgumentException(
                "encoder directory ["
                    + registration.path()
                    + "] has a projection head, whose vectors are factors: register it with [normalize] false"
            );
        }
        if (registration.maxSequenceLength() > config.maxSequenceLength()) {
            throw new IllegalArgumentException(
                "[max_seq_length] [" + registration.maxSequenceLength() + "] exceeds the model's limit [" + config.maxSequenceLength() + "]"
            );
        }
    }

    public EncoderRegistration registration(String id) {
        EncoderRegistration r = registered.get(id);
        if (r == null) {
            throw new ResourceNotFoundException("encoder [" + id + "] is not registered");
        }
        return r;
    }

    @Override
    public void checkRegistered(String encoderId) {
        registration(encoderId);
    }

    @Override
    public EncodingOptions defaults(String encoderId) {
        return registration(encoderId).options();
    }

    @Override
    public boolean encodesFactors(String encoderId) {
        // Not resolve(): a directory missing on this node fails at encoding, as it always has, not at pipeline creation.
        return TextEncoder.hasProjectionHead(directory(registration(encoderId)));
    }

    /** Where a registration's directory would be, unchecked. */
    private Path directory(EncoderRegistration registration) {
        return modelsDir.resolve(registration.path()).normalize();
    }

    @Override
    public void encode(String encoderId, String text, EncodingOptions options, BiConsumer<float[], Exception> done) {
        NodeEncoder encoder;
        try {
            encoder = nodeEncoder(encoderId);
        } catch (RuntimeException e) {
            done.accept(null, e);
            return;
        }
        encoder.submit(new MicroBatcher.Item(text, options, done));
    }

    @Override
    public void countSkipped(String encoderId) {
        try {
            nodeEncoder(encoderId).countSkipped();
        } catch (ResourceNotFoundException | IllegalArgumentException e) {
            // Deleted, or its directory gone, since the document was looked up: no counters left to add to.
        }
    }

    /** The node's encoder for the current registration of the id; creating one is cheap, its model loads on first use. */
    private NodeEncoder nodeEncoder(String encoderId) {
        EncoderRegistration registration = registration(encoderId);
        return nodeEncoders.compute(encoderId, (id, current) -> {
            if (current != null && current.registration().equals(registration)) {
                return current;
            }
            if (current != null) {
                current.close();
            }
            return new NodeEncoder(registration, resolve(registration), settings, inference, memory);
        });
    }

    /**
     * Registered as a high-priority applier, so the registrations of a new cluster state are known here before the
     * ingest service (a normal-priority applier) builds the pipelines that name them, at start-up included; the
     * applied state that {@code clusterService.state()} returns lags behind during that application.
     */
    @Override
    public void applyClusterState(ClusterChangedEvent event) {
        if (event.metadataChanged() == false) {
            return;
        }
        Map<String, EncoderRegistration> registered = EncoderMetadata.of(event.state().metadata()).encoders();
        this.registered = registered;
        nodeEncoders.entrySet().removeIf(e -> {
            boolean stale = e.getValue().registration().equals(registered.get(e.getKey())) == false;
            if (stale) {
                e.getValue().close();
            }
            return stale;
        });
    }

    public List<EncoderStats> stats() {
        return registered.keySet().stream().sorted().map(id -> {
            NodeEncoder e = nodeEncoders.get(id);
            return e == null ? new EncoderStats(id, false, 0, 0, 0, 0, 0, 0, 0, 0, 0) : e.stats();
        }).toList();
    }

    public void close() {
        nodeEncoders.values().forEach(NodeEncoder::close);
        nodeEncoders.clear();
    }
}
