// Installs the fluent DStream operations (module augmentation + prototype methods).
import "./basic";
import "./pair";
import "./window";
import "./output";
import "./state";
