// The Android side of Equally. Today one library module wrapping the Rust
// core; the app module with the Compose screens will sit beside it.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "equally-android"
include(":equally-core")
