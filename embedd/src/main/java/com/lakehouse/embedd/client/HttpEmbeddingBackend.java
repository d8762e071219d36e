package com.lakehouse.embedd.client;

import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.embedd.config.EmbeddConfig;
import com.lakehouse.embedd.service.EmbeddingBackend;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.util.TypeLiteral;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote provider behind SmallRye Fault Tolerance: each attempt has a timeout, connect errors, 5xx and 429 are
 * retried with exponential backoff, and a circuit breaker per model stops hammering a provider that is down.
 * Subclasses only say how a batch is asked for and how the answer is read.
 */
public abstract class HttpEmbeddingBackend implements EmbeddingBackend {
    private static final Logger LOG = Logger.getLogger(HttpEmbeddingBackend.class);
    private static final TypeLiteral<CompletionStage<List<float[]>>> TYPE = new TypeLiteral<>() {
    };

    protected final String modelName;
    protected final String upstreamModel;
    protected final String url;
    private final WebClient client;
    private final Integer configuredDimension;
    private final AtomicInteger learnedDimension = new AtomicInteger();
    private final TypedGuard<CompletionStage<List<float[]>>> guard;

    protected HttpEmbeddingBackend(WebClient client, String modelName, EmbeddConfig.Model model, String url,
            EmbeddConfig.Upstream ft) {
        this.client = client;
        this.modelName = modelName;
        this.upstreamModel = model.upstreamModel().orElse(modelName);
        this.url = url;
        this.configuredDimension = model.dimension().isPresent() ? model.dimension().getAsInt() : null;
        this.guard = TypedGuard.create(TYPE)
                .withDescription("embedd upstream " + modelName)
                .withTimeout().duration(ft.timeout().toMillis(), ChronoUnit.MILLIS).done()
                .withRetry().maxRetries(ft.maxRetries())
                .delay(ft.retryDelay().toMillis(), ChronoUnit.MILLIS)
                .jitter(ft.retryJitter().toMillis(), ChronoUnit.MILLIS)
                .whenException(HttpEmbeddingBackend::retriable)
                .withExponentialBackoff().factor(2).maxDelay(ft.retryMaxDelay().toMillis(), ChronoUnit.MILLIS).done()
                .done()
                .withCircuitBreaker().name("embedd-" + modelName)
                .requestVolumeThreshold(Math.max(1, ft.circuitVolume()))
                .failureRatio(ft.circuitFailureRatio())
                .delay(ft.circuitDelay().toMillis(), ChronoUnit.MILLIS)
                .when(HttpEmbeddingBackend::retriable)
                .done()
                .build();
    }

    static boolean retriable(Throwable t) {
        return t instanceof UpstreamException u ? u.retriable()
                : t instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
    }

    /** The JSON body asking for {@code texts}. */
    protected abstract Object requestBody(List<String> texts);

    /** The vectors of a 2xx answer, one per text in order; throws {@link UpstreamException#malformed} otherwise. */
    protected abstract List<float[]> parse(byte[] body, int expected) throws IOException;

    /** Adds provider headers (authorization). */
    protected void decorate(HttpRequest<Buffer> request) {
    }

    @Override
    public int dimension() {
        return configuredDimension != null ? configuredDimension : learnedDimension.get();
    }

    @Override
    public int countTokens(String text) {
        // Remote providers do not tell us per text; about four characters a token for English text.
        return Math.max(1, (text.length() + 3) / 4);
    }

    @Override
    public CompletionStage<List<float[]>> embed(List<String> texts, String requestId) {
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(requestBody(texts));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode request", e);
        }
        String rid = requestId != null ? requestId : RequestIds.newId();
        return guard.get(() -> attempt(body, texts.size(), rid));
    }

    private CompletionStage<List<float[]>> attempt(byte[] body, int expected, String requestId) {
        HttpRequest<Buffer> request = client.postAbs(url)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json")
                .putHeader(RequestIds.HEADER, requestId);
        decorate(request);
        return request.sendBuffer(Buffer.buffer(body))
                .onFailure().transform(t -> t instanceof UpstreamException ? t
                        : UpstreamException.unreachable(provider(), url, t))
                .map(resp -> read(resp, expected))
                .subscribeAsCompletionStage();
    }

    private List<float[]> read(HttpResponse<Buffer> resp, int expected) {
        int status = resp.statusCode();
        byte[] bytes = resp.body() == null ? new byte[0] : resp.body().getBytes();
        if (status < 200 || status > 299) {
            String snippet = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8)
                    .replaceAll("\\s+", " ").trim();
            LOG.debugf("%s %s answered %d: %s", provider(), url, status, snippet);
            throw UpstreamException.httpStatus(provider(), status, snippet);
        }
        List<float[]> vectors;
        try {
            vectors = parse(bytes, expected);
        } catch (IOException e) {
            throw UpstreamException.malformed(provider(), "not the expected JSON (" + shortMessage(e) + ")");
        }
        if (vectors == null || vectors.size() != expected) {
            throw UpstreamException.malformed(provider(), (vectors == null ? 0 : vectors.size())
                    + " vectors for " + expected + " texts");
        }
        int dim = vectors.get(0) == null ? 0 : vectors.get(0).length;
        for (float[] v : vectors) {
            if (v == null || v.length == 0 || v.length != dim) {
                throw UpstreamException.malformed(provider(), "vectors of different or zero dimension");
            }
            for (float f : v) {
                if (!Float.isFinite(f)) {
                    throw UpstreamException.malformed(provider(), "a vector has NaN or infinite components");
                }
            }
        }
        if (configuredDimension != null && dim != configuredDimension) {
            throw UpstreamException.malformed(provider(), "dimension " + dim + ", configured " + configuredDimension);
        }
        learnedDimension.set(dim);
        return vectors;
    }

    private static String shortMessage(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
