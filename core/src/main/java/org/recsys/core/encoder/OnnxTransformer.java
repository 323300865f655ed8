package org.recsys.core.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An ONNX export ({@code model.onnx}) on DJL's ONNX Runtime engine. Its inputs and outputs are matched by name and
 * checked against the contract when it loads: it declares {@code input_ids} and {@code attention_mask}, and may
 * declare {@code token_type_ids} (fed zeros), each int64 of rank 2; it outputs {@code last_hidden_state} (float,
 * rank 3) and may output {@code hidden_states} (float, rank 4); other outputs are ignored.
 */
final class OnnxTransformer extends ExportedTransformer {

    static final List<String> INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");
    static final String LAST_HIDDEN_STATE = "last_hidden_state";
    static final String HIDDEN_STATES = "hidden_states";

    private final NDManager onnxManager;
    private final OrtSymbolBlock block;
    private final List<String> inputs;
    private final boolean everyLayer;

    private OnnxTransformer(
        TransformerConfig config,
        Path file,
        NDManager manager,
        NDManager onnxManager,
        OrtSymbolBlock block,
        List<String> inputs,
        boolean everyLayer,
        int threads
    ) {
        super(config, file, manager, threads);
        this.onnxManager = onnxManager;
        this.block = block;
        this.inputs = inputs;
        this.everyLayer = everyLayer;
    }

    /**
     * With {@code threads} above 0 the session runs each call on that many intra-op threads, the caller's own
     * included: with 1, concurrent calls each run on their caller's thread, with no pool shared between them.
     */
    static OnnxTransformer load(Path file, TransformerConfig config, int threads) {
        String runtime = "ONNX Runtime " + DjlEngines.onnxRuntime().getVersion();
        NDManager onnxManager = NDManager.newBaseManager(Device.cpu(), DjlEngines.ONNX_RUNTIME);
        NDManager manager = null;
        try {
            OrtSession session;
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                if (threads > 0) {
                    options.setIntraOpNumThreads(threads);
                }
                // The environment exists: DJL's engine created it with its threading options.
                session = OrtEnvironment.getEnvironment().createSession(file.toString(), options);
            } catch (OrtException e) {
                throw new IllegalArgumentException(
                    file.getFileName() + " is not an ONNX model that " + runtime + " can load: " + firstLine(e),
                    e
                );
            }
            // The block owns the session from here and closes it with its manager.
            OrtSymbolBlock block = new OrtSymbolBlock(session, (OrtNDManager) onnxManager);
            List<String> inputs = checkInputs(file, session.getInputInfo());
            boolean everyLayer = checkOutputs(file, session.getOutputInfo(), config);
            manager = NDManager.newBaseManager(Device.cpu(), DjlEngines.PYTORCH);
            OnnxTransformer t = new OnnxTransformer(config, file, manager, onnxManager, block, inputs, everyLayer, threads);
            t.probe(inputs.toString());
            return t;
        } catch (OrtException | RuntimeException e) {
            if (manager != null) {
                manager.close();
            }
            onnxManager.close();
            throw e instanceof OrtException
                ? new IllegalArgumentException(file.getFileName() + ": " + firstLine(e), e)
                : (RuntimeException) e;
        }
    }

    /** The contract's inputs that the graph declares, in the contract's order. */
    private static List<String> checkInputs(Path file, Map<String, NodeInfo> declared) {
        for (Map.Entry<String, NodeInfo> input : declared.entrySet()) {
            if (INPUTS.contains(input.getKey()) == false || isTensor(input.getValue(), OnnxJavaType.INT64, 2) == false) {
                throw new IllegalArgumentException(
                    file.getFileName()
                        + " declares input ["
                        + input.getKey()
                        + "] "
                        + input.getValue().getInfo()
                        + "; expected only input_ids, attention_mask and optionally token_type_ids, each int64 [batch, sequence]"
                );
            }
        }
        for (String required : INPUTS.subList(0, 2)) {
            if (declared.containsKey(required) == false) {
                throw new IllegalArgumentException(
                    file.getFileName() + " has no input [" + required + "]; its inputs are " + declared.keySet()
                );
            }
        }
        return INPUTS.stream().filter(declared::containsKey).toList();
    }

    /** Checks last_hidden_state and, if declared, hidden_states against the config; true when hidden_states is there. */
    private static boolean checkOutputs(Path file, Map<String, NodeInfo> declared, TransformerConfig config) {
        NodeInfo last = declared.get(LAST_HIDDEN_STATE);
        if (last == null || isTensor(last, OnnxJavaType.FLOAT, 3) == false || fits(last, 2, config.hiddenSize()) == false) {
            throw new IllegalArgumentException(
                file.getFileName()
                    + " must output ["
                    + LAST_HIDDEN_STATE
                    + "] float [batch, sequence, "
                    + config.hiddenSize()
                    + "]; its outputs are "
                    + describe(declared)
            );
        }
        NodeInfo every = declared.get(HIDDEN_STATES);
        if (every == null) {
            return false;
        }
        if (isTensor(every, OnnxJavaType.FLOAT, 4) == false
            || fits(every, 0, config.layers() + 1) == false
            || fits(every, 3, config.hiddenSize()) == false) {
            throw new IllegalArgumentException(
                file.getFileName()
                    + " outputs ["
                    + HIDDEN_STATES
                    + "] "
                    + every.getInfo()
                    + "; expected float ["
                    + (config.layers() + 1)
                    + ", batch, sequence, "
                    + config.hiddenSize()
                    + "] (the embeddings, then each of the config's layers)"
            );
        }
        return true;
    }

    private static boolean isTensor(NodeInfo node, OnnxJavaType type, int rank) {
        return node.getInfo() instanceof TensorInfo t && t.type == type && t.getShape().length == rank;
    }

    /** A dimension is either dynamic (negative) or the expected size. */
    private static boolean fits(NodeInfo node, int dimension, long expected) {
        long size = ((TensorInfo) node.getInfo()).getShape()[dimension];
        return size < 0 || size == expected;
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        return Arrays.toString(nodes.values().stream().map(n -> n.getName() + " " + n.getInfo()).toArray());
    }

    @Override
    public boolean hasEveryLayer() {
        return everyLayer;
    }

    @Override
    Outputs forward(NDManager m, PaddedBatch batch, boolean withEveryLayer) {
        NDList in = new NDList(inputs.size());
        for (String name : inputs) {
            NDArray input = switch (name) {
                case "input_ids" -> m.create(batch.ids(), batch.shape());
                case "attention_mask" -> m.create(batch.mask(), batch.shape());
                default -> m.zeros(batch.shape(), DataType.INT64);
            };
            input.setName(name);
            in.add(input);
        }
        NDList out = block.forward(new ParameterStore(m, false), in, false);
        // ONNX Runtime's tensors, copied into PyTorch's memory for the pooling maths.
        return new Outputs(m.from(out.get(LAST_HIDDEN_STATE)), withEveryLayer ? m.from(out.get(HIDDEN_STATES)) : null);
    }

    @Override
    public void close() {
        onnxManager.close();
        super.close();
    }
}
