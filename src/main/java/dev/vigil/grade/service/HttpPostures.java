package dev.vigil.grade.service;

import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.observatory.Observatory;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.grade.observatory.ObservatoryResult;
import dev.vigil.probe.http.HttpFindings;

/** Turns the header probe's findings into the Observatory verdict the service grade starts from. */
public final class HttpPostures {

    private HttpPostures() {
    }

    public static HttpEvidence evidence(HttpFindings findings, HstsPreloadList preload) {
        return algorithm -> posture(Observatory.grade(findings, ObservatoryAlgorithm.of(algorithm), preload));
    }

    public static HttpPosture posture(ObservatoryResult result) {
        return new HttpPosture(result.score(), result.error(), result.tests().values().stream()
                .map(t -> new HttpPosture.Test(t.name(), t.result(), t.scoreModifier(), t.pass(), t.remediation()))
                .toList());
    }
}
