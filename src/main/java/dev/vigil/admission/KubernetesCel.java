package dev.vigil.admission;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of the CEL that a Kubernetes 1.30 API server offers to ValidatingAdmissionPolicies and CRD
 * validation rules which Vigil's policies may use, built on Google's CEL for Java. Anything outside it does
 * not compile here, so a policy that would not load on the API server (or that cel-java cannot run) fails
 * the tests instead of the cluster:
 * <ul>
 * <li>the standard definitions and macros ({@code has}, {@code all}, {@code exists}, {@code exists_one},
 * {@code map}, {@code filter}), including RE2 {@code matches};</li>
 * <li>homogeneous aggregate literals and cross-type numeric comparisons, as the API server sets them;</li>
 * <li>from the strings extension (Kubernetes: {@code ext.Strings} version 2 since 1.29) only the functions
 * that exist there in the same form: {@code charAt}, {@code indexOf}, {@code lastIndexOf}, {@code join},
 * {@code lowerAscii}, {@code upperAscii}, {@code replace}, {@code split}, {@code substring}, {@code trim}.</li>
 * </ul>
 * Not offered (the API server has them, cel-java has no equivalent): Kubernetes' list library
 * ({@code isSorted}, {@code sum}, …), its regex library ({@code find}, {@code findAll}), URL, quantity, IP/CIDR,
 * authorizer and optional types.
 */
public final class KubernetesCel {

    /** Strings-extension functions that Kubernetes' {@code ext.Strings(ext.StringsVersion(2))} offers too. */
    static final Set<CelStringExtensions.Function> STRING_FUNCTIONS = EnumSet.of(
            CelStringExtensions.Function.CHAR_AT, CelStringExtensions.Function.INDEX_OF,
            CelStringExtensions.Function.LAST_INDEX_OF, CelStringExtensions.Function.JOIN,
            CelStringExtensions.Function.LOWER_ASCII, CelStringExtensions.Function.UPPER_ASCII,
            CelStringExtensions.Function.REPLACE, CelStringExtensions.Function.SPLIT,
            CelStringExtensions.Function.SUBSTRING, CelStringExtensions.Function.TRIM);

    /**
     * Bounds one evaluation the way the API server's cost limit does: no comprehension over a hostile
     * object (or nested ones) runs more than this many iterations.
     */
    static final int MAX_ITERATIONS = 1_000_000;

    /** Variables of a ValidatingAdmissionPolicy expression ({@code authorizer} is not offered). */
    public static final List<String> ADMISSION_VARIABLES = List.of("object", "oldObject", "request", "params",
            "namespaceObject", "variables");

    /** Variables of a CRD {@code x-kubernetes-validations} rule. */
    public static final List<String> CRD_RULE_VARIABLES = List.of("self", "oldSelf");

    private final Cel cel;

    private KubernetesCel(List<String> variables) {
        var builder = CelFactory.standardCelBuilder()
                .setOptions(CelOptions.current()
                        .enableHomogeneousLiterals(true)
                        .enableHeterogeneousNumericComparisons(true)
                        .enableOptionalSyntax(false)
                        .comprehensionMaxIterations(MAX_ITERATIONS)
                        .build())
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(CelExtensions.strings(STRING_FUNCTIONS))
                .addRuntimeLibraries(CelExtensions.strings(STRING_FUNCTIONS));
        for (String variable : variables) {
            builder.addVar(variable, SimpleType.DYN);
        }
        this.cel = builder.build();
    }

    public static KubernetesCel admission() {
        return new KubernetesCel(ADMISSION_VARIABLES);
    }

    public static KubernetesCel crdRules() {
        return new KubernetesCel(CRD_RULE_VARIABLES);
    }

    /** A compiled expression; {@link #compile} throws {@link InvalidExpression} with the checker's message. */
    public record Program(String source, CelAbstractSyntaxTree ast, dev.cel.runtime.CelRuntime.Program program) {
    }

    public static final class InvalidExpression extends RuntimeException {
        InvalidExpression(String message) {
            super(message);
        }
    }

    public static final class EvaluationError extends Exception {
        EvaluationError(String message) {
            super(message);
        }
    }

    public Program compile(String source) {
        try {
            CelAbstractSyntaxTree ast = cel.compile(source).getAst();
            return new Program(source, ast, cel.createProgram(ast));
        } catch (CelValidationException e) {
            throw new InvalidExpression(e.getMessage());
        } catch (CelEvaluationException e) {
            throw new InvalidExpression(e.getMessage());
        }
    }

    /**
     * Evaluates with the given variables bound; values are plain JSON-like trees (maps, lists, strings,
     * numbers, booleans), converted to CEL's types first. A missing variable is bound to null.
     */
    public Object evaluate(Program program, Map<String, ?> bindings) throws EvaluationError {
        Map<String, Object> activation = new LinkedHashMap<>();
        bindings.forEach((k, v) -> activation.put(k, toCel(v)));
        return evaluateConverted(program, activation);
    }

    /** Like {@link #evaluate}, for bindings already converted with {@link #toCel}. */
    Object evaluateConverted(Program program, Map<String, ?> activation) throws EvaluationError {
        try {
            return program.program().eval(activation);
        } catch (CelEvaluationException e) {
            throw new EvaluationError(e.getMessage());
        } catch (RuntimeException e) {
            // cel-java reports some type mismatches of dynamic values as unchecked exceptions.
            throw new EvaluationError(String.valueOf(e.getMessage()));
        }
    }

    /**
     * JSON-like tree → CEL values: integers become int64 (Long), other numbers double, and null fields are
     * dropped, as the API server treats a null field as absent.
     */
    static Object toCel(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (v != null) {
                    out.put(String.valueOf(k), toCel(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object v : list) {
                out.add(toCel(v));
            }
            return out;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger big) {
            return big.longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof java.math.BigDecimal d) {
            return d.doubleValue();
        }
        return value;
    }
}
