package com.lakehouse.embedd.client;

import com.lakehouse.embedd.service.EmbeddingBackend;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

/**
 * The in-process model: all-MiniLM-L6-v2 (quantized ONNX, 384-d) from the langchain4j embeddings artifact,
 * fully offline. Loaded once (at start or on first use). A batch runs off the event loop on {@code caller};
 * the model spreads a batch's texts over {@code modelThreads}.
 */
public class LocalModelBackend implements EmbeddingBackend {
    private static final Logger LOG = Logger.getLogger(LocalModelBackend.class);
    public static final int DIMENSION = 384;

    private final ExecutorService modelThreads;
    private final ExecutorService caller;
    private final int intraOpThreads;
    private volatile MiniLmModel model;

    public LocalModelBackend(ExecutorService modelThreads, ExecutorService caller, int intraOpThreads) {
        this.intraOpThreads = intraOpThreads;
        this.modelThreads = modelThreads;
        this.caller = caller;
    }

    /** Loads the model now when not loaded yet. */
    public void load() {
        model();
    }

    MiniLmModel model() {
        MiniLmModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    long t0 = System.nanoTime();
                    m = new MiniLmModel(modelThreads, intraOpThreads);
                    LOG.infof("local model all-MiniLM-L6-v2 (quantized, %d-d) loaded in %d ms", DIMENSION,
                            (System.nanoTime() - t0) / 1_000_000);
                    model = m;
                }
            }
        }
        return m;
    }

    /** True once the model is in memory (what Ollama's {@code /api/ps} calls running). */
    public boolean loaded() {
        return model != null;
    }

    /** Bytes of the model file once loaded, else 0. */
    public long sizeBytes() {
        MiniLmModel m = model;
        return m == null ? 0 : m.sizeBytes;
    }

    @Override
    public String provider() {
        return "local";
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public int countTokens(String text) {
        return model().estimateTokenCount(text);
    }

    @Override
    public CompletionStage<List<float[]>> embed(List<String> texts, String requestId) {
        return CompletableFuture.supplyAsync(() -> embedNow(texts), caller);
    }

    /** Embeds on the calling thread. */
    public List<float[]> embedNow(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(t));
        }
        List<Embedding> embeddings = model().embedAll(segments).content();
        List<float[]> out = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            out.add(e.vector());
        }
        return out;
    }
}
