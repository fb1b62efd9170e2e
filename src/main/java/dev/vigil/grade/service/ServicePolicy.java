package dev.vigil.grade.service;

import dev.vigil.grade.Grade;

/** What a baseline requires of every service it covers. */
public record ServicePolicy(String tlsLevel, int minCertificateDays, Grade minimumGrade) {
}
