package io.tracegql.support;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/**
 * The gateway's /q/metrics (Prometheus text) as tests read it. Counters are shared by every test of a
 * run, so a check reads the difference between two readings.
 */
public final class Metrics {

    private Metrics() {}

    /** Every sample, as the gateway shows them now. */
    public static String read() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** How much a sample grew between two readings. */
    public static double moved(String before, String after, String name, Map<String, String> labels) {
        return sample(after, name, labels) - sample(before, name, labels);
    }

    /** The sum of a metric's samples whose labels include these (in any order); 0 when absent. */
    public static double sample(String text, String name, Map<String, String> labels) {
        // A sample may end with an OpenMetrics exemplar (" # {trace_id=...} 1.0 <time>"): the trace
        // of a request that counted, since the gateway can trace itself.
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)( # .*)?$")
                .matcher(text);
        double sum = 0;
        while (line.find()) {
            String found = line.group(1) == null ? "" : line.group(1);
            if (labels.entrySet().stream().allMatch(l -> found.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                sum += Double.parseDouble(line.group(2));
            }
        }
        return sum;
    }

    public static double sample(String text, String name) {
        return sample(text, name, Map.of());
    }
}
