package io.sendonly.webadmin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.sendonly.config.TableFile;

/** One element's text in a James XML configuration file, changed with the file's comments and layout kept. */
final class XmlConfigFile {
    private XmlConfigFile() {
    }

    /** Sets the text of the element at {@code path} below the root, creating it if needed; written atomically. */
    static void setText(Path file, String value, String... path) throws IOException {
        Document document = parse(file);
        find(document.getDocumentElement(), path).setTextContent(value);
        TableFile.write(file, serialize(document));
    }

    private static Element find(Element root, String[] path) {
        Element current = root;
        for (String name : path) {
            Element child = null;
            for (Node node = current.getFirstChild(); node != null && child == null; node = node.getNextSibling()) {
                if (node instanceof Element element && element.getTagName().equals(name)) {
                    child = element;
                }
            }
            if (child == null) {
                child = current.getOwnerDocument().createElement(name);
                current.appendChild(child);
            }
            current = child;
        }
        return current;
    }

    private static Document parse(Path file) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] serialize(Document document) throws IOException {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            // The declaration by hand: the transformer would put the first comment on its line.
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write("<?xml version=\"1.0\"?>\n".getBytes(StandardCharsets.UTF_8));
            for (Node node = document.getFirstChild(); node != null; node = node.getNextSibling()) {
                transformer.transform(new DOMSource(node), new StreamResult(out));
                out.write('\n');
            }
            return out.toByteArray();
        } catch (Exception e) {
            throw new IOException("cannot write XML: " + e.getMessage(), e);
        }
    }
}
