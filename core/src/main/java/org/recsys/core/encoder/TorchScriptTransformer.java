package org.recsys.core.encoder;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A TorchScript export ({@code model.pt}) on DJL's PyTorch engine. Its {@code forward} takes its inputs by position:
 * {@code (input_ids, attention_mask)}, plus {@code token_type_ids} (zeros) when config.json has a
 * {@code type_vocab_size} above 1. It returns {@code last_hidden_state} alone or first in a (nested) tuple or list;
 * the hidden states of every layer, if it returns them, are either one tensor of rank 4 or, as Hugging Face models
 * traced with {@code torchscript=True, output_hidden_states=True} return them, layers + 1 further tensors shaped
 * like {@code last_hidden_state}.
 */
final class TorchScriptTransformer extends ExportedTransformer {

    private final Model model;
    private final boolean everyLayer;

    private TorchScriptTransformer(TransformerConfig config, Path file, NDManager manager, Model model, boolean everyLayer, int threads) {
        super(config, file, manager, threads);
        this.model = model;
        this.everyLayer = everyLayer;
    }

    static TorchScriptTransformer load(Path file, TransformerConfig config, int threads) throws IOException {
        NDManager manager = NDManager.newBaseManager(DjlEngines.pytorch().defaultDevice(), DjlEngines.PYTORCH);
        Model model = Model.newInstance(file.toString(), Device.cpu(), DjlEngines.PYTORCH);
        try {
            try {
                model.load(file);
            } catch (MalformedModelException | EngineException e) {
                throw new IllegalArgumentException(
                    file.getFileName()
                        + " is not a TorchScript module that PyTorch "
                        + DjlEngines.pytorch().getVersion()
                        + " can load: "
                        + firstLine(e),
                    e
                );
            }
            boolean everyLayer;
            try (NDManager m = manager.newSubManager()) {
                everyLayer = hiddenStatesOf(run(model, m, probeBatch(config), config), config) != null;
            } catch (EngineException e) {
                throw callFailed(file, inputNames(config), e);
            }
            TorchScriptTransformer t = new TorchScriptTransformer(config, file, manager, model, everyLayer, threads);
            t.probe(inputNames(config));
            return t;
        } catch (IOException | RuntimeException e) {
            model.close();
            manager.close();
            throw e;
        }
    }

    @Override
    public boolean hasEveryLayer() {
        return everyLayer;
    }

    @Override
    Outputs forward(NDManager m, PaddedBatch batch, boolean withEveryLayer) {
        NDList out = run(model, m, batch, config);
        return new Outputs(out.get(0), withEveryLayer ? hiddenStatesOf(out, config) : null);
    }

    private static NDList run(Model model, NDManager m, PaddedBatch batch, TransformerConfig config) {
        NDList inputs = new NDList(m.create(batch.ids(), batch.shape()), m.create(batch.mask(), batch.shape()));
        if (config.typeVocabSize() > 1) {
            inputs.add(m.zeros(batch.shape(), DataType.INT64));
        }
        return model.getBlock().forward(new ParameterStore(m, false), inputs, false);
    }

    /** The hidden states of every layer as one [layers + 1, batch, seq, hidden] array, or null if the outputs lack them. */
    static NDArray hiddenStatesOf(NDList outputs, TransformerConfig config) {
        List<NDArray> rest = outputs.subList(1, outputs.size());
        for (NDArray a : rest) {
            if (a.getShape().dimension() == 4) {
                return a;
            }
        }
        Shape last = outputs.get(0).getShape();
        NDList layers = new NDList();
        rest.stream().filter(a -> a.getShape().equals(last)).forEach(layers::add);
        return layers.size() == config.layers() + 1 ? NDArrays.stack(layers) : null;
    }

    private static String inputNames(TransformerConfig config) {
        return config.typeVocabSize() > 1 ? "(input_ids, attention_mask, token_type_ids)" : "(input_ids, attention_mask)";
    }

    @Override
    public void close() {
        model.close();
        super.close();
    }
}
