// The Rust core for Android: the uniffi-generated Kotlin (org.equally.core),
// the hand-written Kotlin beside it in src/main/kotlin, JNA, and the
// libequally_ffi.so of each ABI. ../build-jni.sh makes the generated parts
// before every build; neither is committed.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

val generatedKotlin = layout.buildDirectory.dir("generated/uniffi/kotlin")

android {
    namespace = "org.equally.core"
    compileSdk = 35

    defaultConfig {
        // java.time and the NDK API level build-jni.sh links against.
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets {
        getByName("main") {
            kotlin.srcDir(generatedKotlin)
            // jniLibs: the default src/main/jniLibs, filled by cargo-ndk.
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // The @aar carries JNA's own native dispatch library for each ABI.
    implementation("net.java.dev.jna:jna:5.17.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.10.2")
    // The generated code marks its API-34 cleaner with @RequiresApi.
    implementation("androidx.annotation:annotation:1.9.1")
}

val buildRustCore by tasks.registering(Exec::class) {
    description = "Builds libequally_ffi.so for each ABI and generates its Kotlin bindings"
    workingDir = rootDir
    commandLine("./build-jni.sh")
}

tasks.named("preBuild") {
    dependsOn(buildRustCore)
}
