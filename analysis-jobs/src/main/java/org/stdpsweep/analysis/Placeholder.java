package org.stdpsweep.analysis; final class Placeholder {}
