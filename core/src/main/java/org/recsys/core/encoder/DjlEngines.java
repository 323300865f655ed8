package org.recsys.core.encoder;

import ai.djl.engine.Engine;

/**
 * DJL's engines, offline: PyTorch (the project's own forward, TorchScript exports and all array maths) and ONNX
 * Runtime (ONNX exports). Their natives come from jars on the class path; DJL never reaches for the network.
 */
final class DjlEngines {

    static final String PYTORCH = "PyTorch";
    static final String ONNX_RUNTIME = "OnnxRuntime";

    private DjlEngines() {}

    static Engine pytorch() {
        return engine(PYTORCH);
    }

    static Engine onnxRuntime() {
        return engine(ONNX_RUNTIME);
    }

    /** Offline mode must be set before DJL's Engine class loads. */
    private static synchronized Engine engine(String name) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine(name);
    }
}
