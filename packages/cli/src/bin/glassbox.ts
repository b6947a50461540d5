#!/usr/bin/env node
console.log("glassbox");
