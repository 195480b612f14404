// watch-fanout and config in the Curator driver: this process's watchers (config: readers, each pinned to its server), each a CuratorFramework of its own with a
// CuratorCache on the watched znode (SINGLE_NODE_CACHE), as an application keeps a value current. The
// writer is zkbench's own, in another process (docs/drivers.md). Every watcher records into the event
// file: arm (cache started), armed <version> (its first read, the node created in the cache), changed
// <version> (the cache told the application of a new version: the library re-read the node on the watch
// event, with a new watch, and then called the listener). The process tells the coordinator, as a
// zkbench load process does, how far all its watchers have read (watch-fanout: one number per version, for
// `paced`; config: once, when all have read), and after the stop waits (at most drainMs) until they have
// read the writer's last version.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

final class CuratorWatchRun implements CuratorDriver.DriverRun {
    static final List<String> RECIPES = List.of("curator-cache");
    /** "Nobody left to wait for" in an armed report (the coordinator compares numbers; JSON has no infinity). */
    static final long EVERYONE_GONE = 9007199254740991L;

    final JsonNode plan;
    /** config (readers; the writer waits for one "armed" per process) rather than watch-fanout. */
    final boolean config;
    final String path;
    final int processIndex;
    final int[] ids;
    final long drainMs;
    final CuratorDriver.EventLog events;
    final CuratorDriver.Health health = new CuratorDriver.Health();
    final List<CuratorFramework> clients = new ArrayList<>();
    final List<CuratorCache> caches = new ArrayList<>();
    final AtomicInteger sessionEvents = new AtomicInteger();
    final AtomicInteger expired = new AtomicInteger();
    /** Per watcher slot: the version it last read (Long.MIN_VALUE before its first read), and whether it stopped. */
    final long[] seen;
    final boolean[] stoppedWatcher;
    long changed;
    volatile boolean stopped;
    boolean closed;
    volatile long finalVersion = Long.MIN_VALUE;
    // The tally (as src/scenarios/watch-fanout/armed-tally.ts): the newest version read, how many live watchers read it.
    long newest = Long.MIN_VALUE, reported = Long.MIN_VALUE;
    int armedAtNewest, lost;
    private Thread scheduled;

    CuratorWatchRun(JsonNode plan) throws Exception {
        this.plan = plan;
        String recipe = plan.path("recipe").asText();
        if (!RECIPES.contains(recipe)) throw new IllegalArgumentException("the Curator driver has no watch recipe \"" + recipe + "\"; it has " + RECIPES);
        config = plan.path("scenario").asText().equals("config");
        path = plan.path("path").asText();
        processIndex = plan.path("processIndex").asInt();
        JsonNode w = plan.path(config ? "readers" : "watcherIds");
        ids = new int[w.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = config ? w.get(i).path("id").asInt() : w.get(i).asInt();
        drainMs = plan.path("drainMs").asLong(2000);
        seen = new long[ids.length];
        java.util.Arrays.fill(seen, Long.MIN_VALUE);
        stoppedWatcher = new boolean[ids.length];
        events = new CuratorDriver.EventLog(plan.path("eventsFile").asText());
    }

    public void open() throws Exception {
        String connect = plan.path("connect").asText();
        int sessionMs = plan.path("sessionTimeoutMs").asInt();
        int connectMs = plan.path("connectTimeoutMs").asInt(30000);
        JsonNode connects = plan.path("connects");
        for (int slot = 0; slot < ids.length; slot++) {
            final int id = ids[slot];
            String at = connects.isArray() && connects.size() > slot ? connects.get(slot).asText() : connect;
            CuratorFramework c = CuratorClients.newClient(at, sessionMs, connectMs);
            c.getConnectionStateListenable().addListener((client, state) -> {
                if (state == ConnectionState.CONNECTED) return;
                sessionEvents.incrementAndGet();
                if (state == ConnectionState.LOST) expired.incrementAndGet();
                record("session", id, System.nanoTime(), state.name().toLowerCase());
            });
            clients.add(c);
            c.start();
        }
        for (CuratorFramework c : clients) {
            if (!c.blockUntilConnected(connectMs, TimeUnit.MILLISECONDS)) throw new IllegalStateException("a Curator client did not connect to " + connect + " within " + connectMs + " ms");
        }
    }

    private synchronized void record(String kind, int id, long t, String rest) {
        if (!closed) events.add(kind, id, t, rest);
    }

    public void go(CuratorDriver.Window w) {
        Thread control = new Thread(() -> {
            try {
                CuratorDriver.Run.sleepUntil(w.startAt);
                if (ids.length == 0) synchronized (this) {
                    if (config) check();
                    else report(EVERYONE_GONE);
                }
                for (int slot = 0; slot < ids.length; slot++) arm(slot);
                Thread progress = new Thread(this::progress, "progress");
                progress.setDaemon(true);
                progress.start();
                scheduleHealthAndStop(w);
            } catch (Throwable e) {
                CuratorDriver.fail(e);
            }
        }, "control");
        control.setDaemon(true);
        control.start();
    }

    private void arm(int slot) {
        final int id = ids[slot];
        CuratorCache cache = CuratorCache.build(clients.get(slot), path, CuratorCache.Options.SINGLE_NODE_CACHE);
        cache.listenable().addListener((CuratorCacheListener.Type type, ChildData before, ChildData data) -> {
            long t = System.nanoTime(); // first thing: when the application hears of it
            if (!path.equals(data == null ? (before == null ? null : before.getPath()) : data.getPath())) return;
            switch (type) {
                case NODE_CREATED:
                case NODE_CHANGED:
                    read(slot, t, data.getStat().getVersion());
                    break;
                case NODE_DELETED:
                    lose(slot, t, "NoNode the watched znode was deleted");
                    break;
            }
        });
        caches.add(cache);
        record("arm", id, System.nanoTime(), null);
        cache.start();
    }

    /** The cache holds `version` for watcher `slot`: its first read, or a change it told the application of. */
    private synchronized void read(int slot, long t, long version) {
        if (closed || stoppedWatcher[slot]) return;
        long before = seen[slot];
        if (version == before) return;
        seen[slot] = version;
        if (before == Long.MIN_VALUE) {
            events.add("armed", ids[slot], t, Long.toString(version));
            armedCount++;
        } else {
            events.add("changed", ids[slot], t, Long.toString(version));
            changed++;
            if (before == newest) armedAtNewest--;
        }
        if (version > newest) {
            newest = version;
            armedAtNewest = 1;
        } else if (version == newest) {
            armedAtNewest++;
        }
        check();
    }

    private synchronized void lose(int slot, long t, String why) {
        if (closed || stoppedWatcher[slot]) return;
        stoppedWatcher[slot] = true;
        events.add("error", ids[slot], t, why);
        if (seen[slot] == newest && seen[slot] != Long.MIN_VALUE) armedAtNewest--;
        lost++;
        check();
    }

    private int armedCount;
    private boolean armedSaid;

    private void check() {
        if (config) {
            // config: the writer starts once every reader of every process has read (one word per process)
            if (!armedSaid && armedCount + lost >= ids.length) {
                armedSaid = true;
                ObjectNode m = CuratorDriver.message("scenario");
                m.putObject("data").put("kind", "armed");
                CuratorDriver.answer(m);
            }
            return;
        }
        int live = ids.length - lost;
        if (live <= 0) {
            if (reported != EVERYONE_GONE) report(reported = EVERYONE_GONE);
            return;
        }
        if (armedAtNewest >= live && newest > reported) report(reported = newest);
    }

    private void report(long version) {
        if (stopped && finalVersion != Long.MIN_VALUE) return; // the writer no longer waits
        ObjectNode m = CuratorDriver.message("scenario");
        ObjectNode d = m.putObject("data");
        d.put("kind", "armed");
        d.put("path", path);
        d.put("from", processIndex);
        d.put("version", version);
        CuratorDriver.answer(m);
    }

    private void progress() {
        while (!stopped) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            ObjectNode m = CuratorDriver.message("progress");
            m.put("completed", 0); // the writer's process counts the updates
            m.put("measured", 0);
            m.put("at", System.nanoTime());
            m.put("sessionEvents", sessionEvents.get());
            CuratorDriver.answer(m);
        }
    }

    public synchronized void scheduleHealthAndStop(CuratorDriver.Window w) {
        if (w.pending) return;
        if (scheduled != null) scheduled.interrupt();
        scheduled = new Thread(() -> {
            try {
                CuratorDriver.Run.sleepUntil(w.measureFrom);
                health.start();
                if (w.stopAt >= 0) {
                    CuratorDriver.Run.sleepUntil(w.stopAt);
                    stop();
                }
            } catch (InterruptedException ignored) {
                // superseded
            }
        }, "schedule");
        scheduled.setDaemon(true);
        scheduled.start();
    }

    public void stop() {
        synchronized (this) {
            if (stopped) return;
            stopped = true;
        }
        ObjectNode h = health.stop();
        Thread drain = new Thread(() -> finish(h), "drain");
        drain.setDaemon(true);
        drain.start();
    }

    /** After the stop: wait until every live watcher has read the writer's last version (at most drainMs), then report. */
    private void finish(ObjectNode h) {
        long giveUpAt = System.nanoTime() + drainMs * 1_000_000L;
        int undrained;
        while (true) {
            synchronized (this) {
                undrained = notHolding();
            }
            if (undrained == 0 || System.nanoTime() >= giveUpAt) break;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                break;
            }
        }
        long count;
        synchronized (this) {
            closed = true;
            count = changed;
            try {
                events.close();
            } catch (java.io.IOException e) {
                CuratorDriver.fail(e);
                return;
            }
        }
        ObjectNode m = CuratorDriver.message("done");
        m.set("health", h);
        m.put("sessionsExpired", expired.get());
        m.put("completed", count);
        m.put("drainCutShort", undrained > 0);
        m.put("undrained", undrained);
        CuratorDriver.answer(m);
    }

    /** Live watchers that have not read the writer's last version (all of them while it is unknown). */
    private int notHolding() {
        if (finalVersion == Long.MIN_VALUE) return ids.length;
        int n = 0;
        for (int i = 0; i < ids.length; i++) if (!stoppedWatcher[i] && seen[i] < finalVersion) n++;
        return n;
    }

    public void onScenario(JsonNode data) {
        String kind = data.path("kind").asText();
        // watch-fanout: the writer's "final" (per point's path); config: the coordinator's "last"
        if (config ? kind.equals("last") : kind.equals("final") && data.path("path").asText().equals(path)) finalVersion = data.path("version").asLong();
    }

    public void close() {
        for (CuratorCache c : caches) c.close();
        ExecutorService ex = Executors.newFixedThreadPool(Math.max(1, Math.min(64, clients.size())));
        for (CuratorFramework c : clients) ex.submit(c::close);
        ex.shutdown();
        try {
            ex.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }
}
