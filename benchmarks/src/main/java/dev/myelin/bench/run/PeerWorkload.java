package dev.myelin.bench.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;

/** One workload to time outside JMH: a benchmark name and its parameters, without backend and threads. */
public record PeerWorkload(String benchmark, Map<String, String> params) {

    public PeerWorkload {
        params = new LinkedHashMap<>(params);
    }

    /** The distinct workloads of {@code results}, in the order they ran. */
    public static List<PeerWorkload> of(Collection<RunResult> results) {
        Set<PeerWorkload> seen = new LinkedHashSet<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : p.getParamsKeys()) {
                if (!key.equals("backend") && !key.equals("threads")) {
                    params.put(key, p.getParam(key));
                }
            }
            seen.add(new PeerWorkload(p.getBenchmark(), params));
        }
        return new ArrayList<>(seen);
    }
}
