// membership in the Curator driver: curator-x-discovery's ServiceDiscovery and ServiceCache, as a
// service registry is used. The group is a service: its base path is the group node's parent and its name
// the group node's last segment, so every instance is a child of the group node, as zkbench's own members
// are. This process's servers register as ServiceInstances (address and port), each on a CuratorFramework
// of its own, on the coordinator's word (or at the start); a leave closes the server's client (its session
// ends, its ephemeral instance goes); a crash is the coordinator's SIGKILL of the process. The watching
// clients each keep a ServiceCache (one client each) and record every list the cache tells them of:
// `view <client> <t> <address,address,...|->` on CLOCK_MONOTONIC, in the event file. The process tells
// the coordinator, as a zkbench load process does, when a server is registered or closed, and when all its
// clients hold the initial list; after `finish` it waits (at most waitMs) until they hold the live list.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.utils.ZKPaths;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.details.ServiceCacheListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

final class CuratorMembershipRun implements CuratorDriver.DriverRun {
    static final List<String> RECIPES = List.of("curator-discovery");

    final JsonNode plan;
    final String basePath, service;
    final int[] clientIds;
    final int[] serverIds;
    final boolean[] initialServer;
    final String[] addresses;
    final String initialList;
    final CuratorDriver.EventLog events;
    final CuratorDriver.Health health = new CuratorDriver.Health();
    final String connect;
    final int sessionMs, connectMs;
    final List<CuratorFramework> clients = new ArrayList<>();
    final List<ServiceDiscovery<Void>> discoveries = new ArrayList<>();
    final List<ServiceCache<Void>> caches = new ArrayList<>();
    final Map<Integer, CuratorFramework> serverSessions = new HashMap<>();
    final String[] current;
    int views;
    boolean heldInitial, closed, finished;
    String expected;
    final java.util.concurrent.ExecutorService registrations = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "register");
        t.setDaemon(true);
        return t;
    });

    CuratorMembershipRun(JsonNode plan) throws Exception {
        this.plan = plan;
        String recipe = plan.path("recipe").asText();
        if (!RECIPES.contains(recipe)) throw new IllegalArgumentException("the Curator driver has no membership recipe \"" + recipe + "\"; it has " + RECIPES);
        ZKPaths.PathAndNode pn = ZKPaths.getPathAndNode(plan.path("groupPath").asText());
        basePath = pn.getPath();
        service = pn.getNode();
        JsonNode c = plan.path("clientIds");
        clientIds = new int[c.size()];
        for (int i = 0; i < clientIds.length; i++) clientIds[i] = c.get(i).asInt();
        JsonNode s = plan.path("servers");
        serverIds = new int[s.size()];
        initialServer = new boolean[s.size()];
        for (int i = 0; i < serverIds.length; i++) {
            serverIds[i] = s.get(i).path("id").asInt();
            initialServer[i] = s.get(i).path("initial").asBoolean();
        }
        JsonNode a = plan.path("addresses");
        addresses = new String[a.size()];
        for (int i = 0; i < addresses.length; i++) addresses[i] = a.get(i).asText();
        TreeSet<String> init = new TreeSet<>();
        for (JsonNode id : plan.path("initial")) init.add(addresses[id.asInt()]);
        initialList = String.join(",", init);
        heldInitial = clientIds.length == 0;
        current = new String[clientIds.length];
        connect = plan.path("connect").asText();
        sessionMs = plan.path("sessionTimeoutMs").asInt();
        connectMs = plan.path("connectTimeoutMs").asInt(30000);
        events = new CuratorDriver.EventLog(plan.path("eventsFile").asText());
    }

    private CuratorFramework client(int id) {
        CuratorFramework c = CuratorClients.newClient(connect, sessionMs, connectMs);
        c.getConnectionStateListenable().addListener((client, state) -> {
            if (state != ConnectionState.CONNECTED) record("session", id, System.nanoTime(), state.name().toLowerCase());
        });
        c.start();
        return c;
    }

    public void open() throws Exception {
        for (int id : clientIds) clients.add(client(id));
        for (int id : serverIds) serverSessions.put(id, client(-1 - id));
        List<CuratorFramework> all = new ArrayList<>(clients);
        all.addAll(serverSessions.values());
        for (CuratorFramework c : all) {
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
                for (int slot = 0; slot < clientIds.length; slot++) watch(slot);
                for (int i = 0; i < serverIds.length; i++) if (initialServer[i]) register(serverIds[i]);
                scheduleHealthAndStop(w);
            } catch (Throwable e) {
                CuratorDriver.fail(e);
            }
        }, "control");
        control.setDaemon(true);
        control.start();
    }

    private void watch(int slot) throws Exception {
        final int id = clientIds[slot];
        ServiceDiscovery<Void> d = ServiceDiscoveryBuilder.builder(Void.class).client(clients.get(slot)).basePath(basePath).build();
        d.start();
        discoveries.add(d);
        ServiceCache<Void> cache = d.serviceCacheBuilder().name(service).build();
        cache.addListener(new ServiceCacheListener() {
            @Override
            public void cacheChanged() {
                view(slot, cache);
            }

            @Override
            public void stateChanged(CuratorFramework client, ConnectionState state) {
                // recorded by the client's own listener
            }
        });
        caches.add(cache);
        cache.start(); // loads the current instances: the client's first list
        view(slot, cache);
    }

    /**
     * The cache's list as the application sees it now. Read under the lock, with its time: the start's
     * first list and the listener's run on different threads, and a list read earlier must never be
     * recorded after one read later.
     */
    private synchronized void view(int slot, ServiceCache<Void> cache) {
        if (closed) return;
        long t = System.nanoTime();
        List<ServiceInstance<Void>> instances = cache.getInstances();
        TreeSet<String> listed = new TreeSet<>();
        for (ServiceInstance<Void> i : instances) listed.add(i.getAddress() + ":" + i.getPort());
        String list = String.join(",", listed);
        if (list.equals(current[slot])) return; // the same list again: nothing new for the application
        current[slot] = list;
        events.add("view", clientIds[slot], t, list.isEmpty() ? "-" : list);
        views++;
        if (!heldInitial && allHold(initialList)) {
            heldInitial = true;
            ObjectNode m = scenario("holding-initial");
            m.with("data").put("atNs", Long.toString(t));
            CuratorDriver.answer(m);
        }
        if (expected != null && allHold(expected)) notifyAll();
    }

    private boolean allHold(String list) {
        for (String c : current) if (!list.equals(c)) return false;
        return true;
    }

    static ObjectNode scenario(String type) {
        ObjectNode m = CuratorDriver.message("scenario");
        m.putObject("data").put("type", type);
        return m;
    }

    private void register(int server) {
        CuratorFramework c = serverSessions.get(server);
        registrations.submit(() -> {
            long send = System.nanoTime();
            try {
                String[] hostPort = addresses[server].split(":");
                ServiceInstance<Void> instance = ServiceInstance.<Void>builder().name(service).id("server-" + server).address(hostPort[0]).port(Integer.parseInt(hostPort[1])).build();
                ServiceDiscovery<Void> d = ServiceDiscoveryBuilder.builder(Void.class).client(c).basePath(basePath).build();
                d.start();
                d.registerService(instance);
                long ack = System.nanoTime();
                ObjectNode m = scenario("registered");
                ObjectNode data = m.with("data");
                data.put("server", server);
                data.put("path", ZKPaths.makePath(ZKPaths.makePath(basePath, service), instance.getId()));
                data.put("sendNs", Long.toString(send));
                data.put("ackNs", Long.toString(ack));
                CuratorDriver.answer(m);
            } catch (Exception e) {
                record("error", -1 - server, System.nanoTime(), e.getClass().getSimpleName() + " " + String.valueOf(e.getMessage()).replace('\n', ' '));
                ObjectNode m = scenario("register-failed");
                m.with("data").put("server", server);
                m.with("data").put("message", e.toString());
                CuratorDriver.answer(m);
            }
        });
    }

    private void leave(int server) {
        CuratorFramework c = serverSessions.get(server);
        long at = System.nanoTime();
        ObjectNode m = scenario("closed");
        m.with("data").put("server", server);
        m.with("data").put("atNs", Long.toString(at));
        registrations.submit(c::close); // ends the session: its ephemeral instance goes
        CuratorDriver.answer(m);
    }

    private Thread scheduled;

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

    private ObjectNode healthReport;

    /** The measured window's end: the health stops; the clients go on listing until `finish`. */
    public synchronized void stop() {
        if (healthReport == null) healthReport = health.stop();
    }

    /** The churn is over: wait (at most waitMs) until every client lists `live`, then report. */
    private void finish(List<Integer> live, long waitMs) {
        TreeSet<String> want = new TreeSet<>();
        for (int id : live) want.add(addresses[id]);
        Thread t = new Thread(() -> {
            int count;
            synchronized (this) {
                if (finished) return;
                finished = true;
                expected = String.join(",", want);
                long giveUpAt = System.nanoTime() + waitMs * 1_000_000L;
                while (!allHold(expected) && System.nanoTime() < giveUpAt) {
                    try {
                        wait(Math.max(1, (giveUpAt - System.nanoTime()) / 1_000_000L));
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                if (healthReport == null) healthReport = health.stop();
                closed = true;
                count = views;
                try {
                    events.close();
                } catch (java.io.IOException e) {
                    CuratorDriver.fail(e);
                    return;
                }
            }
            ObjectNode m = CuratorDriver.message("done");
            m.set("health", healthReport);
            m.put("sessionsExpired", 0);
            m.put("completed", count);
            CuratorDriver.answer(m);
        }, "finish");
        t.setDaemon(true);
        t.start();
    }

    public void onScenario(JsonNode data) {
        switch (data.path("type").asText()) {
            case "join":
                register(data.path("server").asInt());
                break;
            case "leave":
                leave(data.path("server").asInt());
                break;
            case "finish": {
                List<Integer> live = new ArrayList<>();
                for (JsonNode id : data.path("live")) live.add(id.asInt());
                finish(live, data.path("waitMs").asLong());
                break;
            }
            default:
                break;
        }
    }

    public void close() {
        for (ServiceCache<Void> c : caches) {
            try {
                c.close();
            } catch (Exception ignored) {
                // leaving anyway
            }
        }
        ExecutorService ex = Executors.newFixedThreadPool(Math.max(1, Math.min(64, clients.size() + serverSessions.size())));
        for (CuratorFramework c : clients) ex.submit(c::close);
        for (CuratorFramework c : serverSessions.values()) ex.submit(c::close);
        ex.shutdown();
        try {
            ex.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }
}
