package dev.vigil.grade.service;

import dev.vigil.grade.Grade;

/** The grade a failing control limits the service to, and why in a few words ("expired certificate"). */
public record Cap(Grade grade, String reason) {

    @Override
    public String toString() {
        return reason + " → " + grade;
    }
}
