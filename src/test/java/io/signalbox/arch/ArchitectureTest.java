package io.signalbox.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package rules of the design: dependencies point one way, and nothing keeps mutable statics. */
@AnalyzeClasses(packages = "io.signalbox", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule protocolKnowsNothingElse = noClasses()
            .that().resideInAPackage("io.signalbox.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.signalbox.client..", "io.signalbox.server..", "io.signalbox.app..", "io.signalbox.cli..", "io.signalbox.bench..")
            .because("the protocol is shared by both sides and knows neither");

    @ArchTest
    static final ArchRule clientKnowsNoServer = noClasses()
            .that().resideInAPackage("io.signalbox.client..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.signalbox.server..", "io.signalbox.app..", "io.signalbox.cli..", "io.signalbox.bench..", "javafx..")
            .because("the SDK talks to any server over the wire and runs without a toolkit");

    @ArchTest
    static final ArchRule serverKnowsNoClient = noClasses()
            .that().resideInAPackage("io.signalbox.server..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.signalbox.client..", "io.signalbox.app..", "io.signalbox.cli..", "io.signalbox.bench..", "javafx..")
            .because("the server runs headless and knows clients only through the protocol");

    @ArchTest
    static final ArchRule benchDrivesTheServerFromOutside = noClasses()
            .that().resideInAPackage("io.signalbox.bench..")
            .should().dependOnClassesThat().resideInAnyPackage("io.signalbox.app..", "io.signalbox.cli..", "javafx..")
            .orShould().dependOnClassesThat().resideInAPackage("io.signalbox.server")
            .because("the load generator runs the server as a separate process and talks to it over the wire;"
                    + " it mints tokens with server.auth like any OpenTok-style backend would");

    @ArchTest
    static final ArchRule soakDrivesTheServerFromOutside = noClasses()
            .that().resideInAPackage("io.signalbox.soak..")
            .should().dependOnClassesThat().resideInAnyPackage("io.signalbox.app..", "io.signalbox.cli..", "javafx..")
            .orShould().dependOnClassesThat().resideInAPackage("io.signalbox.server")
            .because("the soak runs the server as a separate process and reaches it over the wire and /health,"
                    + " minting tokens with server.auth as a backend would");

    @ArchTest
    static final ArchRule appUsesNoCommandLine = noClasses()
            .that().resideInAPackage("io.signalbox.app..")
            .should().dependOnClassesThat().resideInAnyPackage("io.signalbox.cli..")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule viewModelsKnowNoNodes = noClasses()
            .that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..")
            .allowEmptyShould(true)
            .because("a ViewModel holds state and verbs; only its View builds nodes");

    @ArchTest
    static final ArchRule noMutableStatics = fields()
            .that().areStatic()
            .and().areDeclaredInClassesThat().resideInAPackage("io.signalbox..")
            .should().beFinal()
            .because("everything is built in a composition root and passed down; no mutable statics");
}
