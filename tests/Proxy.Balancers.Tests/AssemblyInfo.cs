// Weights share one process-wide version (DestinationState.WeightsVersion): a test changing a weight would make
// another test's cached tables rebuild mid-assertion. The suite takes seconds, so it runs one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
