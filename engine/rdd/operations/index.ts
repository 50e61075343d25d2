// Loads the RDD operations that are added by module augmentation (SparkContext imports this).
import "./ordered";
import "./sets";
import "./pairs";
