"""The reviewer: decompose a journey map into claims and check each against the evidence."""
