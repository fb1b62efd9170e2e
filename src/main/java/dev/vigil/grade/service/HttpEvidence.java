package dev.vigil.grade.service;

/** What the header probe saw, graded on demand with the Observatory algorithm a baseline asks for. */
public interface HttpEvidence {

    HttpPosture posture(int algorithm);

    static HttpEvidence none(String reason) {
        return algorithm -> new HttpPosture(java.util.Optional.empty(), java.util.Optional.of(reason), java.util.List.of());
    }
}
