console.log('edgress cli', process.version, process.argv.slice(2));
