package org.recsys.core.encoder;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Fine-tunes a BERT- or RoBERTa-family {@code model.safetensors} end to end together with a {@link ProjectionHead},
 * so that the head's output for a text approaches a target vector (an item's collaborative factor): autograd on
 * DJL's PyTorch engine through the project's own forward pass, every weight a trained parameter, Adam, a weighted
 * squared error. The model being tuned is an ordinary {@link Transformer} with the head attached, so
 * {@link #predict} runs exactly the pass that a saved directory runs at ingest. Not thread-safe.
 */
public final class EncoderFineTuning implements AutoCloseable {

    /** Files of a model directory that {@link #save} writes itself rather than copies. */
    private static final Set<String> WRITTEN = Set.of(ModelFormat.SAFETENSORS.fileName(), ProjectionHead.FILE_NAME, "README.md");

    private final Path source;
    private final SafetensorsTransformer transformer;
    private final Pooling pooling;
    private final Optimizer adam;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    private EncoderFineTuning(Path source, SafetensorsTransformer transformer, Pooling pooling, float learningRate) {
        this.source = source;
        this.transformer = transformer;
        this.pooling = pooling;
        this.adam = Adam.builder().optLearningRateTracker(Tracker.fixed(learningRate)).build();
        transformer.weights().arrays().forEach(this::train);
    }

    /**
     * Loads a model directory holding {@code model.safetensors} for tuning; each pass runs on {@code threads}
     * PyTorch threads. A head comes from the directory or from {@link #initHead} before the first step.
     */
    public static EncoderFineTuning load(Path dir, Pooling pooling, float learningRate, int threads) throws IOException {
        if (ModelFormat.of(dir) != ModelFormat.SAFETENSORS) {
            throw new IllegalArgumentException(
                "fine-tuning needs the weights as model.safetensors; [" + dir.getFileName() + "] holds an export"
            );
        }
        if (learningRate <= 0 || Float.isFinite(learningRate) == false) {
            throw new IllegalArgumentException("the learning rate must be positive, got " + learningRate);
        }
        SafetensorsTransformer t = (SafetensorsTransformer) Transformer.load(dir, threads);
        EncoderFineTuning tuning = new EncoderFineTuning(dir, t, pooling, learningRate);
        if (t.head != null) {
            tuning.train("head.weight", t.head.weight);
            tuning.train("head.bias", t.head.bias);
        }
        return tuning;
    }

    private void train(String name, NDArray weight) {
        weight.setRequiresGradient(true);
        parameters.put(name, weight);
    }

    /** The size of the pooled vectors, the head's input. */
    public int hidden() {
        return transformer.config().hiddenSize();
    }

    /** Unit-length pooled vectors of the model as it is now, without the head: the head's inputs. */
    public float[][] pooled(long[][] ids) {
        ProjectionHead head = transformer.head;
        transformer.head = null;
        try {
            return transformer.embed(ids, pooling, true);
        } finally {
            transformer.head = head;
        }
    }

    /**
     * Starts the head from a linear map in the layout of a ridge {@code Projection}: {@code hidden} rows of
     * {@code rank} weights, then the {@code rank} biases.
     */
    public void initHead(float[] projection, int rank) {
        int d = hidden();
        if (projection.length != (d + 1) * rank) {
            throw new IllegalArgumentException(
                "a head from " + d + " to " + rank + " dims has " + (d + 1) * rank + " weights, not " + projection.length
            );
        }
        if (transformer.head != null) {
            throw new IllegalStateException("the model already has a head");
        }
        float[] weight = new float[rank * d];
        for (int i = 0; i < d; i++) {
            for (int c = 0; c < rank; c++) {
                weight[c * d + i] = projection[i * rank + c];
            }
        }
        float[] bias = Arrays.copyOfRange(projection, d * rank, (d + 1) * rank);
        NDManager m = transformer.manager;
        transformer.head = new ProjectionHead(m.create(weight, new Shape(rank, d)), m.create(bias));
        train("head.weight", transformer.head.weight);
        train("head.bias", transformer.head.bias);
    }

    /**
     * One Adam step on a batch: the squared distance of each text's head output to its target (flat, batch × rank),
     * weighted by {@code weights}, averaged over the weights. Returns that loss before the step.
     */
    public float step(long[][] ids, float[] targets, float[] weights) {
        ProjectionHead head = requireHead();
        int rank = head.rank();
        if (targets.length != ids.length * rank || weights.length != ids.length) {
            throw new IllegalArgumentException(
                "a batch of " + ids.length + " texts needs " + ids.length * rank + " targets and " + ids.length + " weights"
            );
        }
        transformer.useTorchThreads();
        PaddedBatch batch = PaddedBatch.of(ids, transformer.config().padTokenId(), transformer.config().maxSequenceLength());
        float loss;
        try (NDManager m = transformer.manager.newSubManager()) {
            try (GradientCollector collector = Engine.getEngine(DjlEngines.PYTORCH).newGradientCollector()) {
                NDArray states = transformer.hiddenStates(m, batch, pooling.layers());
                NDArray out = head.apply(pooling.pool(states, m.create(batch.mask(), batch.shape()).toType(DataType.FLOAT32, false)));
                NDArray w = m.create(weights);
                NDArray error =
                    out.sub(m.create(targets, out.getShape())).square().sum(new int[]{ 1 }).mul(w).sum().div(w.sum().maximum(1e-12f));
                collector.backward(error);
                loss = error.getFloat();
            }
            for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
                NDArray weight = p.getValue();
                try (NDArray grad = weight.getGradient()) {
                    adam.update(p.getKey(), weight, grad);
                    grad.subi(grad);
                }
            }
        }
        return loss;
    }

    /** The head's output for each sequence: what the saved directory gives at ingest with {@code normalize: false}. */
    public float[][] predict(long[][] ids) {
        requireHead();
        return transformer.embed(ids, pooling, false);
    }

    private ProjectionHead requireHead() {
        if (transformer.head == null) {
            throw new IllegalStateException("the model has no head; call initHead first");
        }
        return transformer.head;
    }

    /**
     * Writes the model as it is now as a new model directory: the source's config, tokenizer and other files, the
     * tuned {@code model.safetensors} and the head, so that it registers as an encoder that outputs factors.
     */
    public void save(Path out) throws IOException {
        ProjectionHead head = requireHead();
        Files.createDirectories(out);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (WRITTEN.contains(f.getFileName().toString()) == false) {
                    Files.copy(f, out.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Map<String, SafetensorsFile.Tensor> tensors = new LinkedHashMap<>();
        transformer.weights()
            .arrays()
            .forEach((name, a) -> tensors.put(name, new SafetensorsFile.Tensor(a.getShape().getShape(), a.toFloatArray())));
        SafetensorsFile.write(out.resolve(ModelFormat.SAFETENSORS.fileName()), tensors);
        ProjectionHead.write(out, head.weight.toFloatArray(), head.bias.toFloatArray(), hidden());
    }

    @Override
    public void close() {
        transformer.close();
    }
}
