// election-failover in the Curator driver: one candidate per process, campaigning with LeaderLatch or
// LeaderSelector on a CuratorFramework of its own. It tells the coordinator, as zkbench's own candidates
// do (src/scenarios/election-failover/candidate.ts), when it leads, when it learns it no longer does, and
// when it closed its session on the coordinator's word; it campaigns again on a fresh client when told to
// rejoin. Curator re-joins by itself after a lost session (LeaderLatch resets on reconnect,
// LeaderSelector requeues): that is the library's behaviour, and part of what is measured. Every such
// moment is also an event in the event file.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.framework.state.ConnectionState;

import java.util.concurrent.TimeUnit;

final class CuratorCandidate {
    static final java.util.List<String> RECIPES = java.util.List.of("curator-leader-latch", "curator-leader-selector");

    private final String recipe;
    private final String electionPath;
    private final int candidate;
    private final String connect;
    private final int sessionMs, connectMs;
    private final CuratorDriver.EventLog events;
    private CuratorFramework client;
    private LeaderLatch latch;
    private LeaderSelector selector;
    private volatile boolean leading;
    private volatile boolean closing;
    private volatile long campaignNs;
    private final Object leadership = new Object();
    volatile boolean stopped;
    int terms, termsMeasured;
    volatile long measureFrom = Long.MAX_VALUE;
    final java.util.Map<String, Integer> errors = new java.util.HashMap<>();
    final java.util.List<String> errorMessages = new java.util.ArrayList<>();

    CuratorCandidate(JsonNode plan, CuratorDriver.EventLog events) {
        recipe = plan.path("recipe").asText();
        if (!RECIPES.contains(recipe)) throw new IllegalArgumentException("the Curator driver has no election recipe \"" + recipe + "\"; it has " + RECIPES);
        electionPath = plan.path("electionPath").asText();
        candidate = plan.path("candidate").asInt();
        connect = plan.path("connect").asText();
        sessionMs = plan.path("sessionTimeoutMs").asInt();
        connectMs = plan.path("connectTimeoutMs").asInt(30000);
        this.events = events;
    }

    /** Opens the candidate's client (before the start, like a load process's session). */
    void open() throws Exception {
        client = CuratorClients.newClient(connect, sessionMs, connectMs);
        final CuratorFramework mine = client;
        client.getConnectionStateListenable().addListener((c, state) -> {
            if (state != ConnectionState.CONNECTED && c == mine) events.add("session", candidate, System.nanoTime(), state.name().toLowerCase());
        });
        client.start();
        if (!client.blockUntilConnected(connectMs, TimeUnit.MILLISECONDS)) throw new IllegalStateException("the candidate's Curator client did not connect to " + connect + " within " + connectMs + " ms");
    }

    private static void post(String type, int candidate, java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode m = CuratorDriver.message("scenario");
        ObjectNode d = m.putObject("data");
        d.put("type", type);
        d.put("candidate", candidate);
        fill.accept(d);
        CuratorDriver.answer(m);
    }

    private void led() {
        long t = System.nanoTime();
        synchronized (leadership) {
            leading = true;
            terms++;
            if (t >= measureFrom) termsMeasured++;
        }
        events.add("leading", candidate, t, null);
        final long from = campaignNs;
        if (!stopped) post("leading", candidate, d -> {
            d.put("campaignNs", Long.toString(from));
            d.put("leadNs", Long.toString(t));
        });
    }

    private void lost(String why) {
        long t = System.nanoTime();
        synchronized (leadership) {
            if (!leading) return;
            leading = false;
        }
        campaignNs = t; // Curator campaigns again by itself from here (after a lost session: once reconnected)
        events.add("ended", candidate, t, why);
        if (!stopped) post("ended", candidate, d -> {
            d.put("atNs", Long.toString(t));
            d.put("why", why);
        });
    }

    /** Campaigns on the current client (the clients' start, and every rejoin). */
    void campaign() throws Exception {
        campaignNs = System.nanoTime();
        events.add("campaign", candidate, campaignNs, null);
        if (recipe.equals("curator-leader-latch")) {
            latch = new LeaderLatch(client, electionPath, Integer.toString(candidate));
            latch.addListener(new LeaderLatchListener() {
                public void isLeader() {
                    led();
                }

                public void notLeader() {
                    lost(closing ? "session-closed" : "session-expired");
                }
            });
            latch.start();
        } else {
            selector = new LeaderSelector(client, electionPath, new LeaderSelectorListenerAdapter() {
                @Override
                public void takeLeadership(CuratorFramework c) throws Exception {
                    led();
                    try {
                        // Leads until interrupted: LeaderSelectorListenerAdapter interrupts this thread when
                        // the connection is SUSPENDED or LOST (Curator's default), or the client closes.
                        Thread.sleep(Long.MAX_VALUE);
                    } finally {
                        lost(closing ? "session-closed" : "session-expired");
                    }
                }
            });
            selector.setId(Integer.toString(candidate));
            selector.autoRequeue();
            selector.start();
        }
    }

    /** The coordinator's word: close the session if leading, or campaign again on a fresh client. */
    void onMessage(JsonNode data) {
        String type = data.path("type").asText();
        try {
            if (type.equals("close")) {
                boolean led = leading;
                long at = System.nanoTime();
                if (led) {
                    closing = true;
                    closeClient();
                }
                post("closed", candidate, d -> {
                    d.put("atNs", Long.toString(at));
                    d.put("led", led);
                });
            } else if (type.equals("rejoin")) {
                closing = false;
                open();
                campaign();
            }
        } catch (Exception e) {
            error(e);
            post("failed", candidate, d -> d.put("message", "rejoin failed: " + e));
        }
    }

    private void closeClient() {
        try {
            if (latch != null) latch.close(LeaderLatch.CloseMode.SILENT);
        } catch (Exception ignored) {
            // the session is going anyway
        }
        if (selector != null) selector.close();
        lost("session-closed");
        client.close();
    }

    void error(Exception e) {
        String kind = e instanceof org.apache.zookeeper.KeeperException ? ((org.apache.zookeeper.KeeperException) e).code().name() : "other";
        synchronized (errors) {
            errors.merge(kind, 1, Integer::sum);
            if (errorMessages.size() < 5) errorMessages.add(String.valueOf(e));
        }
        events.add("error", candidate, System.nanoTime(), kind + " " + String.valueOf(e.getMessage()).replace('\n', ' '));
    }

    void close() {
        stopped = true;
        try {
            if (latch != null) latch.close(LeaderLatch.CloseMode.SILENT);
        } catch (Exception ignored) {
            // leaving
        }
        if (selector != null) selector.close();
        if (client != null) client.close();
    }
}
