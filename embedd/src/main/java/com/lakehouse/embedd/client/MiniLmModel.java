package com.lakehouse.embedd.client;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * all-MiniLM-L6-v2 (quantized) from the langchain4j artifact, with an ONNX session we configure ourselves: a
 * small intra-op pool without spinning. The stock model class uses ONNX's defaults (one spinning thread per core
 * per session run), which on a shared 2-core box burns CPU that the texts running in parallel on the executor
 * need.
 */
final class MiniLmModel extends AbstractInProcessEmbeddingModel {
    static final String MODEL = "all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    private final OnnxBertBiEncoder encoder;
    /** Bytes of the ONNX file (what Ollama's model listings call {@code size}). */
    final long sizeBytes;

    MiniLmModel(Executor executor, int intraOpThreads) {
        super(executor);
        ClassLoader cl = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
        try (InputStream model = cl.getResourceAsStream(MODEL); InputStream tokenizer = cl.getResourceAsStream(TOKENIZER)) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException("the local model's files are not on the classpath (" + MODEL + ", "
                        + TOKENIZER + ")");
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            byte[] onnx = model.readAllBytes();
            this.sizeBytes = onnx.length;
            OrtSession session = env.createSession(onnx, options);
            this.encoder = new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local model", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the local model: " + e.getMessage(), e);
        }
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return LocalModelBackend.DIMENSION;
    }
}
