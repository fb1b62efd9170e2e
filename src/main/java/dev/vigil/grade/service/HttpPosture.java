package dev.vigil.grade.service;

import java.util.List;
import java.util.Optional;

/**
 * The HTTP Observatory's verdict on a service: score and grade (absent when the site cannot be
 * graded) and each test with its modifier and remediation.
 */
public record HttpPosture(Optional<Integer> score, Optional<String> ungradableReason, List<Test> tests) {

    public record Test(String name, String result, int scoreModifier, boolean pass, String remediation) {
    }
}
