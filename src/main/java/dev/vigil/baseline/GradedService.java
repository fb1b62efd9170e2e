package dev.vigil.baseline;

import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.probe.ServiceFindings;
import java.util.Optional;

/** A covered service with its latest findings and their grade; both absent while its first probe runs. */
record GradedService(ServiceTarget target, Optional<ServiceFindings> findings, Optional<ServiceGrade> grade) {

    boolean pending() {
        return grade.isEmpty();
    }
}
