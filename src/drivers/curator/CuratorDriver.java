// zkbench's Curator driver: Apache Curator's lock recipes, driven as zkbench drives its own (docs/drivers.md).
// The coordinator speaks JSON lines on stdin (prepare, go, window, stop, exit); this process answers on
// stdout (ready, progress, warm, done, failed) and records every client's events into the plan's event
// file (one line per event, CLOCK_MONOTONIC ns from System.nanoTime), never one message per event.
// It computes no figure: zkbench's measure layer reads the event file.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessLock;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreMutex;
import org.apache.curator.framework.recipes.locks.PredicateResults;
import org.apache.curator.framework.recipes.locks.StandardLockInternalsDriver;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.KeeperException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public final class CuratorDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
    private static final long ERROR_BACKOFF_MS = 20;
    private static final long CLOSE_WAIT_S = 10;
    static final List<String> RECIPES = List.of("curator-mutex", "curator-semaphore-mutex", "curator-mutex-unchecked");

    /** The coordinator's word, one JSON object per line. */
    static synchronized void answer(ObjectNode msg) {
        OUT.println(msg.toString());
        OUT.flush();
    }

    static ObjectNode message(String type) {
        ObjectNode m = JSON.createObjectNode();
        m.put("type", type);
        return m;
    }

    // ------------------------------------------------------------------ events

    /** The event file: buffered lines, flushed when the buffer fills and at the end. */
    static final class EventLog {
        private final BufferedWriter out;

        EventLog(String path) throws IOException {
            out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(path), StandardCharsets.UTF_8), 1 << 20);
        }

        synchronized void add(String kind, int client, long t, String rest) {
            try {
                out.write(kind);
                out.write(' ');
                out.write(Integer.toString(client));
                out.write(' ');
                out.write(Long.toString(t));
                if (rest != null) {
                    out.write(' ');
                    out.write(rest);
                }
                out.write('\n');
            } catch (IOException e) {
                throw new RuntimeException("writing the event file failed: " + e.getMessage(), e);
            }
        }

        synchronized void close() throws IOException {
            out.close();
        }
    }

    // ------------------------------------------------------------------ the window

    /** Absolute CLOCK_MONOTONIC ns; stopAt < 0: none (acquisitions mode). */
    static final class Window {
        final long startAt, measureFrom, stopAt;
        final boolean pending;

        Window(JsonNode w) {
            startAt = w.path("startAt").asLong();
            measureFrom = w.path("measureFrom").asLong();
            stopAt = w.path("stopAt").isNull() || w.path("stopAt").isMissingNode() ? -1 : w.path("stopAt").asLong();
            pending = w.path("pending").asBoolean(false);
        }

        boolean contains(long t) {
            return !pending && t >= measureFrom && (stopAt < 0 || t < stopAt);
        }
    }

    // ------------------------------------------------------------------ recipes

    /** Tells its contender once it is in line: its node created and its first wait about to be armed. */
    static class QueueSignallingDriver extends StandardLockInternalsDriver {
        static final ThreadLocal<Runnable> ON_QUEUED = new ThreadLocal<>();

        @Override
        public PredicateResults getsTheLock(CuratorFramework client, List<String> children, String sequenceNodeName, int maxLeases) throws Exception {
            Runnable queued = ON_QUEUED.get();
            if (queued != null) queued.run();
            return super.getsTheLock(client, children, sequenceNodeName, maxLeases);
        }
    }

    /**
     * TEST ONLY (curator-mutex-unchecked): InterProcessMutex with the re-check removed. Once a contender has
     * waited for its predecessor, the next look assumes the lock is its own, as predecessor-unchecked does:
     * a waiter leaving from the middle of the queue hands the lock to its successor while the holder holds it.
     */
    static final class UncheckedDriver extends QueueSignallingDriver {
        private final Set<String> waited = new HashSet<>();

        @Override
        public synchronized PredicateResults getsTheLock(CuratorFramework client, List<String> children, String sequenceNodeName, int maxLeases) throws Exception {
            if (waited.remove(sequenceNodeName)) return new PredicateResults(null, true);
            PredicateResults r = super.getsTheLock(client, children, sequenceNodeName, maxLeases);
            if (!r.getsTheLock()) waited.add(sequenceNodeName);
            return r;
        }
    }

    /** InterProcessMutex that tells which node it holds (its sequence number is the ticket). */
    static final class TicketMutex extends InterProcessMutex {
        TicketMutex(CuratorFramework client, String path, StandardLockInternalsDriver driver) {
            super(client, path, driver);
        }

        String lockPath() {
            return getLockPath();
        }
    }

    interface Contender {
        /** False when the wait ran out. */
        boolean acquire(long waitMs) throws Exception;
        /** The queue position, or null when the recipe has none. */
        String ticket();
        /** The node whose existence makes this contender the holder (its czxid is the fencing token), or null when the library hides it. */
        String nodePath();
        void release() throws Exception;
    }

    static Contender contender(String recipe, CuratorFramework client, String lockPath) {
        switch (recipe) {
            case "curator-mutex":
            case "curator-mutex-unchecked": {
                TicketMutex m = new TicketMutex(client, lockPath, recipe.equals("curator-mutex") ? new QueueSignallingDriver() : new UncheckedDriver());
                return new Contender() {
                    public boolean acquire(long waitMs) throws Exception {
                        if (waitMs < 0) {
                            m.acquire();
                            return true;
                        }
                        return m.acquire(waitMs, TimeUnit.MILLISECONDS);
                    }

                    public String ticket() {
                        String p = m.lockPath();
                        return p == null || p.length() < 10 ? null : p.substring(p.length() - 10);
                    }

                    public String nodePath() {
                        return m.lockPath();
                    }

                    public void release() throws Exception {
                        m.release();
                    }
                };
            }
            case "curator-semaphore-mutex": {
                InterProcessSemaphoreMutex m = new InterProcessSemaphoreMutex(client, lockPath);
                return new Contender() {
                    public boolean acquire(long waitMs) throws Exception {
                        if (waitMs < 0) {
                            m.acquire();
                            return true;
                        }
                        return m.acquire(waitMs, TimeUnit.MILLISECONDS);
                    }

                    public String ticket() {
                        return null;
                    }

                    public String nodePath() {
                        return null; // InterProcessSemaphoreMutex keeps its lease to itself
                    }

                    public void release() throws Exception {
                        m.release();
                    }
                };
            }
            default:
                throw new IllegalArgumentException("the Curator driver has no recipe \"" + recipe + "\"");
        }
    }

    // ------------------------------------------------------------------ lock-failover: guard and staged holds

    /**
     * The guard znode every holder writes its fencing token (its lock node's czxid) into, through a session
     * of this process's own, as zkbench's Guard does (src/recipes/lock/fencing.ts): a compare-and-set on the
     * guard's version; with fencing, a token older than the stored one is refused.
     */
    static final class Guard {
        final CuratorFramework session;
        final String path;
        final boolean fencing;
        final AtomicLong writes = new AtomicLong(), staleWrites = new AtomicLong(), fencedRejections = new AtomicLong();

        Guard(CuratorFramework session, String path, boolean fencing) {
            this.session = session;
            this.path = path;
            this.fencing = fencing;
        }

        /** True when written, false when fenced. */
        boolean write(long token) throws Exception {
            while (true) {
                org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
                byte[] data = session.getData().storingStatIn(stat).forPath(path);
                long stored = data == null || data.length == 0 ? -1 : Long.parseLong(new String(data, StandardCharsets.UTF_8));
                if (stored > token && fencing) {
                    fencedRejections.incrementAndGet();
                    return false;
                }
                try {
                    session.setData().withVersion(stat.getVersion()).forPath(path, Long.toString(token).getBytes(StandardCharsets.UTF_8));
                    writes.incrementAndGet();
                    if (stored > token) staleWrites.incrementAndGet();
                    return true;
                } catch (KeeperException.BadVersionException e) {
                    // someone wrote in between: read again
                }
            }
        }

        ObjectNode counts() {
            ObjectNode g = JSON.createObjectNode();
            g.put("writes", writes.get());
            g.put("staleWrites", staleWrites.get());
            g.put("fencedRejections", fencedRejections.get());
            return g;
        }
    }

    /** Holds announced to the coordinator; once armed, the next hold lasts until it says continue (it pauses this process meanwhile). */
    static final class HoldOrders {
        private boolean armed;
        private long continued;

        synchronized void onOrder(String kind) {
            if (kind.equals("arm")) armed = true;
            else if (kind.equals("disarm")) armed = false;
            else {
                continued++;
                notifyAll();
            }
        }

        static void announce(String kind, int client, boolean waiting) {
            ObjectNode m = message("scenario");
            ObjectNode d = m.putObject("data");
            d.put("kind", kind);
            d.put("client", client);
            if (waiting) d.put("waiting", true);
            answer(m);
        }

        void holding(int client, long holdMs, java.util.function.BooleanSupplier stopped) throws InterruptedException {
            long seen;
            synchronized (this) {
                if (!armed) {
                    announce("held", client, false);
                    seen = -1;
                } else {
                    armed = false;
                    seen = continued;
                    announce("held", client, true);
                }
            }
            if (seen < 0) {
                if (holdMs > 0) Thread.sleep(holdMs);
                return;
            }
            synchronized (this) {
                while (continued == seen && !stopped.getAsBoolean()) wait(100);
            }
        }
    }

    /** What the driver runs for one plan: a lock scenario's clients, an election's candidate, or watch-fanout's watchers. */
    interface DriverRun {
        void open() throws Exception;
        void go(Window w);
        void scheduleHealthAndStop(Window w);
        void stop();
        void onScenario(JsonNode data);
        void close();
    }

    static DriverRun runFor(JsonNode plan) throws Exception {
        switch (plan.path("scenario").asText()) {
            case "election-failover":
                return new ElectionRun(plan);
            case "watch-fanout":
            case "config":
                return new CuratorWatchRun(plan);
            case "membership":
                return new CuratorMembershipRun(plan);
            default:
                return new Run(plan);
        }
    }

    /**
     * election-failover: one candidate (CuratorCandidate) from the window's start to its stop. The leadership
     * notices go to the coordinator as they happen (its stage fails the leader of the moment); they and the
     * candidate's errors and session events are in the event file too.
     */
    static final class ElectionRun implements DriverRun {
        final EventLog events;
        final CuratorCandidate candidate;
        final Health health = new Health();
        private Thread scheduled;

        ElectionRun(JsonNode plan) throws Exception {
            events = new EventLog(plan.path("eventsFile").asText());
            candidate = new CuratorCandidate(plan, events);
        }

        public void open() throws Exception {
            candidate.open();
        }

        public void go(Window w) {
            Thread control = new Thread(() -> {
                try {
                    Run.sleepUntil(w.startAt);
                    candidate.campaign();
                    scheduleHealthAndStop(w);
                    Thread progress = new Thread(this::progress, "progress");
                    progress.setDaemon(true);
                    progress.start();
                } catch (Throwable e) {
                    fail(e);
                }
            }, "control");
            control.setDaemon(true);
            control.start();
        }

        public synchronized void scheduleHealthAndStop(Window w) {
            if (w.pending) return;
            candidate.measureFrom = w.measureFrom;
            if (scheduled != null) scheduled.interrupt();
            scheduled = new Thread(() -> {
                try {
                    Run.sleepUntil(w.measureFrom);
                    health.start();
                    if (w.stopAt >= 0) {
                        Run.sleepUntil(w.stopAt);
                        stop();
                    }
                } catch (InterruptedException ignored) {
                    // superseded
                }
            }, "schedule");
            scheduled.setDaemon(true);
            scheduled.start();
        }

        /** Live progress, as a zkbench candidate's load process reports it: terms begun, and those in the window. */
        private void progress() {
            while (!candidate.stopped) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                ObjectNode m = message("progress");
                m.put("completed", candidate.terms); // ints: read without the candidate's lock, a count at most one behind
                m.put("measured", candidate.termsMeasured);
                m.put("at", System.nanoTime());
                m.put("sessionEvents", 0);
                if (!candidate.stopped) answer(m);
            }
        }

        private boolean finished;

        public synchronized void stop() {
            if (finished) return;
            finished = true;
            candidate.stopped = true; // nothing is posted after the stop: closing is the run's teardown
            try {
                ObjectNode h = health.stop();
                events.close();
                ObjectNode m = message("done");
                m.set("health", h);
                m.put("sessionsExpired", 0);
                m.put("completed", candidate.terms);
                ObjectNode report = m.putObject("candidate");
                synchronized (candidate.errors) {
                    report.set("errors", JSON.valueToTree(candidate.errors));
                    report.set("errorMessages", JSON.valueToTree(candidate.errorMessages));
                }
                answer(m);
            } catch (IOException e) {
                fail(e);
            }
        }

        public void onScenario(JsonNode data) {
            candidate.onMessage(data);
        }

        public void close() {
            candidate.close();
        }
    }

    // ------------------------------------------------------------------ one run

    static final class Run implements DriverRun {
        final JsonNode plan;
        final String recipe;
        final String lockPath;
        final int[] clientIds;
        final long holdMs, acquireTimeoutMs, giveUpAfterMs;
        final double giveUpShare;
        final long acquisitions; // < 0: duration mode
        final long seed;
        final boolean warmupUntilQueued;
        final EventLog events;
        final List<CuratorFramework> clients = new ArrayList<>();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong measured = new AtomicLong();
        final AtomicInteger sessionEvents = new AtomicInteger();
        final AtomicInteger expired = new AtomicInteger();
        final long[] measuredPerClient;
        final Set<Integer> notQueued = new HashSet<>();
        volatile Window window;
        volatile boolean stopped;
        final List<Thread> threads = new ArrayList<>();
        final boolean[] waiting;
        final Health health = new Health();
        Guard guard;
        CuratorFramework guardSession;
        final HoldOrders holds;

        Run(JsonNode plan) throws Exception {
            this.plan = plan;
            recipe = plan.path("recipe").asText();
            lockPath = plan.path("lockPath").asText();
            JsonNode ids = plan.path("clientIds");
            clientIds = new int[ids.size()];
            for (int i = 0; i < clientIds.length; i++) clientIds[i] = ids.get(i).asInt();
            holdMs = plan.path("holdMs").asLong();
            acquireTimeoutMs = plan.path("acquireTimeoutMs").asLong();
            giveUpShare = plan.path("giveUpShare").asDouble();
            giveUpAfterMs = plan.path("giveUpAfterMs").asLong();
            acquisitions = plan.path("acquisitions").isNumber() ? plan.path("acquisitions").asLong() : -1;
            seed = plan.path("seed").asLong();
            warmupUntilQueued = plan.path("warmupUntilQueued").asBoolean(false);
            measuredPerClient = new long[clientIds.length];
            waiting = new boolean[clientIds.length];
            for (int id : clientIds) notQueued.add(id);
            if (!RECIPES.contains(recipe)) throw new IllegalArgumentException("the Curator driver has no recipe \"" + recipe + "\"; it has " + RECIPES);
            events = new EventLog(plan.path("eventsFile").asText());
            holds = plan.path("announceHolds").asBoolean(false) ? new HoldOrders() : null;
        }

        public void open() throws Exception {
            String connect = plan.path("connect").asText();
            int sessionMs = plan.path("sessionTimeoutMs").asInt();
            int connectMs = plan.path("connectTimeoutMs").asInt(30000);
            for (int i = 0; i < clientIds.length; i++) {
                final int id = clientIds[i];
                CuratorFramework c = CuratorClients.newClient(connect, sessionMs, connectMs);
                c.getConnectionStateListenable().addListener((client, state) -> {
                    if (state == ConnectionState.CONNECTED) return;
                    sessionEvents.incrementAndGet();
                    if (state == ConnectionState.LOST) expired.incrementAndGet();
                    events.add("session", id, System.nanoTime(), state.name().toLowerCase());
                });
                clients.add(c);
                c.start();
            }
            JsonNode g = plan.path("guard");
            if (g.isObject()) {
                guardSession = CuratorClients.newClient(g.path("connect").asText(), g.path("sessionTimeoutMs").asInt(), connectMs);
                guardSession.start();
                guard = new Guard(guardSession, g.path("path").asText(), g.path("fencing").asBoolean());
                clients.add(guardSession);
            }
            for (CuratorFramework c : clients) {
                if (!c.blockUntilConnected(connectMs, TimeUnit.MILLISECONDS)) throw new IllegalStateException("a Curator client did not connect to " + connect + " within " + connectMs + " ms");
            }
        }

        synchronized void queued(int client, long t) {
            if (!notQueued.remove(client)) return;
            events.add("queued", client, t, null);
            if (notQueued.isEmpty() && warmupUntilQueued) {
                ObjectNode m = message("warm");
                m.put("at", t);
                answer(m);
            }
        }

        public void go(Window w) {
            window = w;
            for (int i = 0; i < clientIds.length; i++) {
                final int slot = i;
                Thread t = new Thread(() -> client(slot), "client-" + clientIds[i]);
                t.setDaemon(true);
                threads.add(t);
            }
            Thread control = new Thread(this::control, "control");
            control.setDaemon(true);
            control.start();
        }

        static void sleepUntil(long t) throws InterruptedException {
            long ms = (t - System.nanoTime()) / 1_000_000;
            if (ms > 0) Thread.sleep(ms);
        }

        /** Starts the clients at the window's start, the health at its measured start, and stops at its end. */
        private void control() {
            try {
                sleepUntil(window.startAt);
                if (warmupUntilQueued && clientIds.length == 0) {
                    ObjectNode m = message("warm"); // nothing to wait for
                    m.put("at", System.nanoTime());
                    answer(m);
                }
                for (Thread t : threads) t.start();
                Thread progress = new Thread(this::progress, "progress");
                progress.setDaemon(true);
                progress.start();
                scheduleHealthAndStop(window);
                for (Thread t : threads) t.join();
                finish();
            } catch (Throwable e) {
                fail(e);
            }
        }

        private Thread scheduled;

        public synchronized void scheduleHealthAndStop(Window w) {
            window = w;
            if (w.pending) return;
            if (scheduled != null) scheduled.interrupt();
            scheduled = new Thread(() -> {
                try {
                    sleepUntil(w.measureFrom);
                    health.start();
                    if (w.stopAt >= 0) {
                        sleepUntil(w.stopAt);
                        stop();
                    }
                } catch (InterruptedException ignored) {
                    // superseded by a decided window
                }
            }, "schedule");
            scheduled.setDaemon(true);
            scheduled.start();
        }

        public synchronized void stop() {
            if (stopped) return;
            stopped = true;
            // Only waiters are interrupted (they withdraw); holders finish their hold and release.
            for (int i = 0; i < threads.size(); i++) if (waiting[i]) threads.get(i).interrupt();
        }

        private synchronized void setWaiting(int slot, boolean w) {
            waiting[slot] = w;
        }

        private void progress() {
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                ObjectNode m = message("progress");
                m.put("completed", completed.get());
                m.put("measured", measured.get());
                m.put("at", System.nanoTime());
                m.put("sessionEvents", sessionEvents.get());
                answer(m);
            }
        }

        private void client(int slot) {
            int id = clientIds[slot];
            CuratorFramework c = clients.get(slot);
            Contender lock = contender(recipe, c, lockPath);
            Random random = new Random(seed * 1_000_003L + id);
            while (!stopped && (acquisitions < 0 || measuredPerClient[slot] < acquisitions)) {
                boolean giveUp = giveUpShare > 0 && random.nextDouble() < giveUpShare;
                long waitMs = giveUp ? giveUpAfterMs : acquireTimeoutMs > 0 ? acquireTimeoutMs : -1;
                if (giveUp && acquireTimeoutMs > 0) waitMs = Math.min(giveUpAfterMs, acquireTimeoutMs);
                boolean gaveUp = giveUp && (acquireTimeoutMs <= 0 || giveUpAfterMs <= acquireTimeoutMs);
                long tAcquire = System.nanoTime();
                events.add("acquire", id, tAcquire, null);
                boolean got;
                setWaiting(slot, true);
                QueueSignallingDriver.ON_QUEUED.set(() -> queued(id, System.nanoTime()));
                try {
                    if (stopped) throw new InterruptedException();
                    got = lock.acquire(waitMs);
                } catch (InterruptedException e) {
                    events.add("waiting", id, System.nanoTime(), null);
                    return;
                } catch (Exception e) {
                    Thread.interrupted();
                    if (stopped) {
                        events.add("waiting", id, System.nanoTime(), null);
                        return;
                    }
                    error(id, e);
                    backoff();
                    continue;
                } finally {
                    setWaiting(slot, false);
                    QueueSignallingDriver.ON_QUEUED.remove();
                }
                if (!got) {
                    events.add(gaveUp ? "abandoned" : "timeout", id, System.nanoTime(), null);
                    continue;
                }
                long tHeld = System.nanoTime();
                queued(id, tHeld);
                String ticket = lock.ticket();
                events.add("held", id, tHeld, ticket == null ? "-" : ticket);
                try {
                    if (guard != null) guardedWork(c, lock, id);
                    else if (holdMs > 0) Thread.sleep(holdMs);
                    else Thread.yield();
                } catch (InterruptedException ignored) {
                    // a stop that raced with the hand-over: still release
                }
                Thread.interrupted();
                events.add("release", id, System.nanoTime(), null);
                try {
                    lock.release();
                } catch (Exception e) {
                    error(id, e);
                }
                completed.incrementAndGet();
                Window w = window;
                if (w.contains(tHeld)) {
                    measured.incrementAndGet();
                    measuredPerClient[slot]++;
                }
            }
        }

        /**
         * lock-failover's hold: write the fencing token (the lock node's czxid, 0 when it is gone) into the guard,
         * hold (until the coordinator's continue when it armed this process), and write again: the write a
         * holder paused past its session's end makes when it wakes, still believing it holds the lock.
         */
        private void guardedWork(CuratorFramework c, Contender lock, int id) throws InterruptedException {
            boolean announced = false;
            try {
                String node = lock.nodePath();
                org.apache.zookeeper.data.Stat stat = node == null ? null : c.checkExists().forPath(node);
                long token = stat == null ? 0 : stat.getCzxid();
                if (!guard.write(token)) return;
                if (holds != null) {
                    announced = true;
                    holds.holding(id, holdMs, () -> stopped);
                } else if (holdMs > 0) Thread.sleep(holdMs);
                guard.write(token);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                error(id, e);
            } finally {
                if (announced) HoldOrders.announce("released", id, false);
            }
        }

        private void error(int id, Exception e) {
            String kind = e instanceof KeeperException ? ((KeeperException) e).code().name() : e.getClass().getSimpleName();
            String text = String.valueOf(e.getMessage()).replace('\n', ' ');
            events.add("error", id, System.nanoTime(), kind + " client " + id + ": " + text);
        }

        private static void backoff() {
            try {
                Thread.sleep(ERROR_BACKOFF_MS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }

        private void finish() throws IOException {
            ObjectNode h = health.stop();
            events.close();
            ObjectNode m = message("done");
            m.set("health", h);
            m.put("sessionsExpired", expired.get());
            m.put("completed", completed.get());
            if (guard != null) m.set("guard", guard.counts());
            answer(m);
        }

        public void onScenario(JsonNode data) {
            if (holds != null) holds.onOrder(data.path("kind").asText());
        }

        public void close() {
            ExecutorService ex = Executors.newFixedThreadPool(Math.max(1, Math.min(64, clients.size())));
            for (CuratorFramework c : clients) ex.submit(c::close);
            ex.shutdown();
            try {
                ex.awaitTermination(CLOSE_WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ health

    /**
     * The driver's own health over the measured window: how late a thread that sleeps 10 ms wakes (the
     * JVM's scheduling delay, GC pauses included) and the process's CPU time.
     */
    static final class Health {
        private static final long SAMPLE_NS = 10_000_000;
        private volatile boolean running;
        private long cpuStart, wallStart;
        private final long[] delays = new long[1 << 20];
        private int count;
        private Thread sampler;

        static long cpuNs() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        synchronized void start() {
            if (running) return;
            running = true;
            cpuStart = cpuNs();
            wallStart = System.nanoTime();
            sampler = new Thread(() -> {
                while (running) {
                    long t0 = System.nanoTime();
                    try {
                        Thread.sleep(SAMPLE_NS / 1_000_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    long late = System.nanoTime() - t0 - SAMPLE_NS;
                    synchronized (this) {
                        if (count < delays.length) delays[count++] = Math.max(0, late);
                    }
                }
            }, "health");
            sampler.setDaemon(true);
            sampler.start();
        }

        synchronized ObjectNode stop() {
            ObjectNode h = JSON.createObjectNode();
            boolean started = running;
            running = false;
            if (sampler != null) sampler.interrupt();
            long[] d = Arrays.copyOf(delays, count);
            Arrays.sort(d);
            ObjectNode delay = h.putObject("delayMs");
            delay.put("p50", pct(d, 50));
            delay.put("p99", pct(d, 99));
            delay.put("max", d.length == 0 ? 0 : d[d.length - 1] / 1e6);
            delay.put("mean", d.length == 0 ? 0 : Arrays.stream(d).average().orElse(0) / 1e6);
            delay.put("samples", d.length);
            h.put("cpuNs", started ? cpuNs() - cpuStart : 0);
            h.put("wallNs", started ? System.nanoTime() - wallStart : 0);
            h.put("rssMb", rssMb());
            return h;
        }

        private static double pct(long[] sorted, double p) {
            if (sorted.length == 0) return 0;
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }

        private static double rssMb() {
            try {
                for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            } catch (IOException ignored) {
                // not Linux
            }
            return 0;
        }
    }

    // ------------------------------------------------------------------ main

    static void fail(Throwable e) {
        ObjectNode m = message("failed");
        m.put("name", e.getClass().getSimpleName());
        m.put("message", "Curator driver: " + e);
        answer(m);
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        DriverRun run = null;
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode msg = JSON.readTree(line);
            String type = msg.path("type").asText();
            try {
                switch (type) {
                    case "prepare": {
                        if (run != null) run.close();
                        long t0 = System.nanoTime();
                        run = runFor(msg.path("plan"));
                        run.open();
                        ObjectNode ready = message("ready");
                        ready.put("connectMs", (System.nanoTime() - t0) / 1e6);
                        answer(ready);
                        break;
                    }
                    case "go":
                        if (run == null) throw new IllegalStateException("go before prepare");
                        run.go(new Window(msg.path("window")));
                        break;
                    case "window":
                        if (run != null) run.scheduleHealthAndStop(new Window(msg.path("window")));
                        break;
                    case "stop":
                        if (run != null) run.stop();
                        break;
                    case "scenario":
                        if (run != null) run.onScenario(msg.path("data"));
                        break;
                    case "exit":
                        if (run != null) {
                            run.stop();
                            run.close();
                        }
                        System.exit(0);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown message type \"" + type + "\"");
                }
            } catch (Exception e) {
                fail(e);
            }
        }
        // The coordinator is gone (stdin closed): leave at once, never outlive it.
        System.exit(1);
    }
}
