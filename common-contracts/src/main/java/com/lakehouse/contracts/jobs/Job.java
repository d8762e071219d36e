package com.lakehouse.contracts.jobs;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long-running piece of work (index build, ingest, export, replay) that reports progress and can be
 * polled and cancelled. The work itself checks {@link #cancelRequested()} between units and calls
 * {@link #progress(long, long)} as it goes.
 */
public final class Job {
    private final String id;
    private final String kind;
    private final String requestId;
    private final Instant createdAt = Instant.now();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong(-1);
    private volatile JobState state = JobState.QUEUED;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;
    private volatile String message;
    private volatile Object result;
    private volatile String error;
    private volatile boolean cancelRequested;

    Job(String id, String kind, String requestId) {
        this.id = id;
        this.kind = kind;
        this.requestId = requestId;
    }

    public String id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    public JobState state() {
        return state;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** Sets how far the job is; {@code total} -1 when unknown. */
    public void progress(long doneUnits, long totalUnits) {
        done.set(doneUnits);
        total.set(totalUnits);
    }

    /** Adds units done. */
    public void advance(long units) {
        done.addAndGet(units);
    }

    public void total(long totalUnits) {
        total.set(totalUnits);
    }

    public long done() {
        return done.get();
    }

    public void message(String text) {
        this.message = text;
    }

    /** A partial or final result that pollers can already see (e.g. counts so far). */
    public void result(Object value) {
        this.result = value;
    }

    public Object result() {
        return result;
    }

    synchronized void start() {
        if (state == JobState.QUEUED) {
            state = JobState.RUNNING;
            startedAt = Instant.now();
        }
    }

    synchronized void succeed(Object value) {
        if (!state.terminal()) {
            if (value != null) {
                result = value;
            }
            state = cancelRequested ? JobState.CANCELLED : JobState.SUCCEEDED;
            finishedAt = Instant.now();
        }
    }

    synchronized void fail(String why) {
        if (!state.terminal()) {
            error = why;
            state = JobState.FAILED;
            finishedAt = Instant.now();
        }
    }

    synchronized boolean requestCancel() {
        if (state.terminal()) {
            return false;
        }
        cancelRequested = true;
        if (state == JobState.QUEUED) {
            state = JobState.CANCELLED;
            finishedAt = Instant.now();
        }
        return true;
    }

    public JobView view() {
        long t = total.get();
        long d = done.get();
        Double fraction = null;
        if (t > 0) {
            fraction = Math.min(1.0, (double) d / t);
        } else if (state == JobState.SUCCEEDED) {
            fraction = 1.0;
        }
        return new JobView(id, kind, state.name().toLowerCase(), new JobView.Progress(d, t, fraction), message,
                createdAt, startedAt, finishedAt, result, error, requestId);
    }
}
