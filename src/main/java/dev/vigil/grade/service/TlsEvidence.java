package dev.vigil.grade.service;

/**
 * What a TLS probe saw, judged on demand: the Mozilla level and its advice depend on the
 * guidelines version and level a baseline asks for, so the same probe serves every baseline.
 */
public interface TlsEvidence {

    TlsPosture posture(String requiredLevel, String guidelinesVersion);

    TlsEvidence NONE = (level, version) -> TlsPosture.unavailable();
}
