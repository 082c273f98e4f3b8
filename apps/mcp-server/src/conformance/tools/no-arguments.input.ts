/** The input of a tool that takes no arguments: an empty object, and nothing else, is accepted. */
export class NoArguments {}
