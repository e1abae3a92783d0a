import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load for bench/quotas.sh: two tenants' keys, one asking at a modest fixed rate (its latency is
 * what is measured), the other flooding with as many requests in flight as it is given. The measured
 * key's requests are sent on a schedule, whatever the answers: a latency counts from when its request
 * was due, so a gateway that stalls cannot hide it by slowing the sender down.
 *
 * <p>Usage: java QuotaLoad.java BASE_URL ADMIN_KEY SECONDS RATE FLOOD_IN_FLIGHT [FLOOD_RATE [WARMUP]].
 * WARMUP seconds of the measured key alone, not measured, come first. The flood
 * keeps FLOOD_IN_FLIGHT requests in flight, each sent again when answered (closed loop); with a
 * FLOOD_RATE above 0 it sends that many a second whatever the answers (open loop), FLOOD_IN_FLIGHT
 * then only naming the connections it may open. Prints one line per phase ("alone", then "flooded")
 * and a last line with the ratio of the two p99s.
 */
public class QuotaLoad {

    private static final String QUERY =
            "{\"query\": \"{ projects(first: 10) { nodes { name runCount latencyP99 } } }\"}";

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String adminKey = args[1];
        int seconds = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int inFlight = Integer.parseInt(args[4]);
        int floodRate = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        int warmup = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(4))
                .build();
        String measured = newTenantKey(client, base, adminKey, "measured");
        String flooding = newTenantKey(client, base, adminKey, "flooding");

        // Unmeasured: the gateway compiles its hot paths in the first seconds, which is not the flood's doing.
        measure(client, base, measured, warmup, rate);
        Phase alone = measure(client, base, measured, seconds, rate);
        System.out.println(alone.line("alone", null));

        Flood flood = new Flood(client, base, flooding, inFlight, floodRate);
        flood.start();
        Phase flooded = measure(client, base, measured, seconds, rate);
        flood.stop();
        System.out.println(flooded.line("flooded", flood));
        System.out.printf(Locale.ROOT, "RATIO p99 flooded/alone %.2f%n", flooded.p99() / alone.p99());
        System.exit(0);
    }

    private static HttpRequest graphql(String base, String key, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("content-type", "application/json")
                .header("x-api-key", key)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String newTenantKey(HttpClient client, String base, String adminKey, String name)
            throws Exception {
        String body = "{\"query\": \"mutation { createTenant(name: \\\"quota-bench-" + name + "-"
                + System.nanoTime() + "\\\") { apiKey { key } } }\"}";
        String answer = client.send(graphql(base, adminKey, body), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher key = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(answer);
        if (!key.find()) {
            throw new IllegalStateException("createTenant failed: " + answer);
        }
        return key.group(1);
    }

    /** Latencies (ms) of the measured key's requests, and answers that were not 200. */
    private record Phase(List<Double> latencies, long failed, long sent) {
        double p99() {
            return percentile(0.99);
        }

        double percentile(double p) {
            if (latencies.isEmpty()) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p * latencies.size()) - 1;
            return latencies.get(Math.max(0, Math.min(index, latencies.size() - 1)));
        }

        String line(String name, Flood flood) {
            String line = String.format(
                    Locale.ROOT,
                    "PHASE %s sent=%d answered=%d not_200=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f",
                    name,
                    sent,
                    latencies.size(),
                    failed,
                    percentile(0.50),
                    percentile(0.90),
                    p99(),
                    percentile(1.0));
            return flood == null ? line : line + " " + flood.summary();
        }
    }

    private static Phase measure(HttpClient client, String base, String key, int seconds, int rate)
            throws InterruptedException {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failed = new AtomicLong();
        long total = (long) seconds * rate;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        List<CompletableFuture<?>> pending = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            timer.schedule(
                    () -> pending.add(client.sendAsync(graphql(base, key, QUERY), HttpResponse.BodyHandlers.ofString())
                            .whenComplete((response, error) -> {
                                latencies.add((System.nanoTime() - due) / 1e6);
                                if (error != null || response.statusCode() != 200) {
                                    failed.incrementAndGet();
                                }
                            })),
                    due - System.nanoTime(),
                    TimeUnit.NANOSECONDS);
        }
        timer.shutdown();
        timer.awaitTermination(seconds + 10, TimeUnit.SECONDS);
        synchronized (pending) {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .exceptionally(ignored -> null)
                    .join();
        }
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Phase(sorted, failed.get(), total);
    }

    /** Keeps a number of requests of the flooding key in flight, each sent again as soon as it is answered. */
    private static final class Flood {
        private final HttpClient client;
        private final HttpRequest request;
        private final int inFlight;
        private final int rate;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentHashMap<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
        private long startedAt;
        private long stoppedAt;

        Flood(HttpClient client, String base, String key, int inFlight, int rate) {
            this.client = client;
            this.request = graphql(base, key, QUERY);
            this.inFlight = inFlight;
            this.rate = rate;
        }

        void start() {
            startedAt = System.nanoTime();
            if (rate > 0) {
                timer.scheduleAtFixedRate(
                        () -> sendOnce(false), 0, TimeUnit.SECONDS.toNanos(1) / rate, TimeUnit.NANOSECONDS);
                return;
            }
            for (int i = 0; i < inFlight; i++) {
                sendOnce(true);
            }
        }

        private void sendOnce(boolean again) {
            if (!running.get()) {
                return;
            }
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                int status = error != null ? -1 : response.statusCode();
                byStatus.computeIfAbsent(status, ignored -> new AtomicLong()).incrementAndGet();
                if (again) {
                    sendOnce(true);
                }
            });
        }

        void stop() {
            running.set(false);
            timer.shutdownNow();
            stoppedAt = System.nanoTime();
        }

        String summary() {
            double seconds = (stoppedAt - startedAt) / 1e9;
            long all = byStatus.values().stream().mapToLong(AtomicLong::get).sum();
            StringBuilder line = new StringBuilder(String.format(
                    Locale.ROOT, "flood_req_per_s=%.0f", all / seconds));
            byStatus.forEach((status, count) -> line.append(String.format(
                    Locale.ROOT, " flood_%s_per_s=%.0f", status < 0 ? "failed" : status, count.get() / seconds)));
            return line.toString();
        }
    }
}
