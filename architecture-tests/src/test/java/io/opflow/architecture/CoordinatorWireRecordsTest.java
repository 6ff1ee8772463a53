package io.opflow.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.opflow.architecture.ModuleConditions.inModule;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the coordinator meets the classes generated from the Avro schemas: {@code
 * CoordinatorInputs} turns each record it reads into the coordinator's own input types, {@code
 * CoordinatorRecords} and {@code Verdicts} build the records it publishes, and the outbox and the
 * task partitioner hand those to the topology's sinks. The commands and the rest of its logic work
 * in its own types only (see {@code docs/coordinator.md}, How a record is applied).
 */
@AnalyzeClasses(locations = CompiledModules.Main.class)
class CoordinatorWireRecordsTest {
  private static final String INTERNAL = "io.opflow.coordinator.internal.";

  /** The classes of the coordinator that may name generated classes at all. */
  private static final Set<String> WIRE_CLASSES =
      Set.of(
          INTERNAL + "CoordinatorInputs",
          INTERNAL + "CoordinatorRecords",
          INTERNAL + "Verdicts",
          INTERNAL + "Outbox",
          INTERNAL + "ContextOutbox",
          INTERNAL + "TaskPartitioner");

  /** The classes that may read fields of generated records: the reader, and the outbox keying. */
  private static final Set<String> FIELD_READERS =
      Set.of(INTERNAL + "CoordinatorInputs", INTERNAL + "ContextOutbox");

  @ArchTest
  static final ArchRule onlyTheConverterAndTheRecordBuildersUseGeneratedClasses =
      noClasses()
          .that(inModule(OpflowModule.COORDINATOR))
          .and(noneOf(WIRE_CLASSES))
          .should()
          .dependOnClassesThat(generatedFromSchemas())
          .because(
              "the coordinator reads wire records into its own types in CoordinatorInputs and"
                  + " builds the records it publishes in CoordinatorRecords");

  @ArchTest
  static final ArchRule onlyTheConverterReadsGeneratedRecords =
      noClasses()
          .that(inModule(OpflowModule.COORDINATOR))
          .and(noneOf(FIELD_READERS))
          .should()
          .callMethodWhere(readingAField())
          .because(
              "CoordinatorInputs is the one place that reads the records the coordinator"
                  + " consumes; the outbox reads only the key of what it sends");

  /**
   * Classes generated from Opflow's Avro schemas, wherever their package: records, their builders
   * and enums all carry {@code @AvroGenerated}.
   */
  private static DescribedPredicate<JavaClass> generatedFromSchemas() {
    return DescribedPredicate.describe(
        "are generated from Opflow's Avro schemas",
        c -> {
          JavaClass type = c.getBaseComponentType();
          return type.isAnnotatedWith("org.apache.avro.specific.AvroGenerated")
              || type.getPackageName().startsWith("io.opflow.events")
              || type.getPackageName().startsWith("io.opflow.protocol");
        });
  }

  private static DescribedPredicate<JavaMethodCall> readingAField() {
    DescribedPredicate<JavaClass> generated = generatedFromSchemas();
    return DescribedPredicate.describe(
        "read a field of a generated record (a get... method)",
        call -> call.getName().startsWith("get") && generated.test(call.getTargetOwner()));
  }

  /** Classes other than those named in {@code names} and the classes nested in them. */
  private static DescribedPredicate<JavaClass> noneOf(Set<String> names) {
    return DescribedPredicate.describe(
        "are none of " + new TreeSet<>(names),
        c -> {
          String name = c.getName();
          int nested = name.indexOf('$');
          return !names.contains(nested < 0 ? name : name.substring(0, nested));
        });
  }
}
