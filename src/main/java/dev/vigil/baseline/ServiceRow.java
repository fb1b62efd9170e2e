package dev.vigil.baseline;

import java.util.List;

/** The grade of one service and what to fix; failing controls are capped with a count of the rest. */
public record ServiceRow(String namespace, String ingress, String host, String grade, Integer score,
        String tlsLevel, String certificateExpires, List<ControlRow> failing, Integer moreFailing,
        List<String> accepted, String error) {
}
