package com.lakehouse.contracts.jobs;

import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.http.RequestIds;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs long jobs on a small bounded pool and keeps the most recent ones for polling. Plain Java: a daemon
 * creates one (usually as an {@code @ApplicationScoped} producer) and exposes {@link #view} at its jobs route.
 */
public class JobRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobRegistry.class);

    /** The work of a job; throw to fail it (the message becomes the job's error). */
    @FunctionalInterface
    public interface Work {
        Object run(Job job) throws Exception;
    }

    private final ExecutorService pool;
    private final int retained;
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    public JobRegistry(String name, int threads, int retained) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, name + "-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), tf);
        this.retained = Math.max(16, retained);
    }

    /** Queues work as a new job and returns it at once. */
    public Job submit(String kind, Work work) {
        String requestId = RequestIds.currentOrNew();
        Job job = new Job(UUID.randomUUID().toString(), kind, requestId);
        synchronized (jobs) {
            jobs.put(job.id(), job);
            trim();
        }
        pool.submit(() -> {
            if (job.state().terminal()) {
                return;
            }
            RequestIds.set(requestId);
            job.start();
            try {
                Object result = work.run(job);
                job.succeed(result);
            } catch (Throwable e) {
                LOG.warnf(e, "job %s (%s) failed", job.id(), kind);
                job.fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            } finally {
                RequestIds.set(null);
            }
        });
        return job;
    }

    public Optional<Job> find(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    /** The job's view, or a 404 problem naming the id. */
    public JobView view(String id) {
        return find(id).map(Job::view).orElseThrow(() -> ApiException.notFound("job_not_found", "no job " + id));
    }

    /** Requests cancellation; the job stops at its next check. 404 when unknown. */
    public JobView cancel(String id) {
        Job job = find(id).orElseThrow(() -> ApiException.notFound("job_not_found", "no job " + id));
        job.requestCancel();
        return job.view();
    }

    /** Most recent first. */
    public List<JobView> list() {
        Collection<Job> snapshot;
        synchronized (jobs) {
            snapshot = new ArrayList<>(jobs.values());
        }
        return snapshot.stream().map(Job::view)
                .sorted(Comparator.comparing(JobView::createdAt).reversed()).toList();
    }

    private void trim() {
        if (jobs.size() <= retained) {
            return;
        }
        var it = jobs.entrySet().iterator();
        while (jobs.size() > retained && it.hasNext()) {
            if (it.next().getValue().state().terminal()) {
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
