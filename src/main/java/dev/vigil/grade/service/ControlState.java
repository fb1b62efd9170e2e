package dev.vigil.grade.service;

public enum ControlState {
    PASS, FAIL, ACCEPTED, ERROR;

    public String label() {
        return name().toLowerCase();
    }
}
